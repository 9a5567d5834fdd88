using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Ttp.Domain.Metrics;

namespace Ttp.Portal.Management;

/// <summary>
/// The management endpoint (<c>Kestrel:Endpoints:Management</c>, plain HTTP on loopback by default): liveness,
/// readiness (the checks of this folder, as JSON) and the <see cref="TtpMetrics"/> in Prometheus text format. Nothing
/// else is served on its port, and its paths are served on no other port (docs/OPERATIONS.md "Health and metrics").
/// </summary>
internal static partial class ManagementExtensions
{
    /// <summary>The Kestrel endpoint's name in <c>Kestrel:Endpoints</c>.</summary>
    public const string EndpointName = "Management";

    /// <summary>The endpoint's address when the configuration names none.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7445";

    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    private const string UrlKey = "Kestrel:Endpoints:" + EndpointName + ":Url";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The endpoint (its default address when none is configured, checked at start-up), the readiness checks and the
    /// metrics exporter.
    /// </summary>
    public static WebApplicationBuilder AddManagement(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetSection("Kestrel:Endpoints:" + EndpointName).Exists())
        {
            // Lowest precedence: any configured value wins.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = [new KeyValuePair<string, string?>(UrlKey, DefaultUrl)],
            });
        }

        _ = ManagementPort(builder.Configuration);
        builder.Services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: CheckTimeout)
            .AddCheck<KeyStoreHealthCheck>("keyStore", timeout: CheckTimeout)
            .AddCheck<AuditWriterHealthCheck>("auditWriter", timeout: CheckTimeout)
            .AddCheck<AuditCheckpointHealthCheck>("auditCheckpoint", timeout: CheckTimeout);
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("ttp-portal")).WithMetrics(metrics => metrics
            .AddMeter(TtpMetrics.MeterName)
            .AddPrometheusExporter(exporter =>
            {
                // Each scrape reads the instruments as they are (a scrape every few seconds costs nothing to speak of).
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return builder;
    }

    /// <summary>
    /// Everything that arrives on the management port goes to its branch: GET or HEAD of its three paths, 405 for
    /// another method, 404 for any other path. The three paths are 404 on every other port.
    /// </summary>
    public static WebApplication MapManagement(this WebApplication app)
    {
        var port = ManagementPort(app.Configuration);
        ((IApplicationBuilder)app).MapWhen(context => context.Connection.LocalPort == port, management =>
        {
            management.Use(async (context, next) =>
            {
                if (!IsManagementPath(context.Request.Path))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
                {
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    context.Response.Headers.Allow = "GET, HEAD";
                    return;
                }

                try
                {
                    await next(context);
                }
                catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    // Never a stack trace or the host's error page here.
                    LogFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ManagementExtensions)), context.Request.Path, e);
                    context.Response.Clear();
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                }
            });
            management.UseHealthChecks(LivePath, new HealthCheckOptions
            {
                // Live: the process answers; no dependency is checked (a restart would not fix the database).
                Predicate = _ => false,
                ResponseWriter = HealthJson.WriteAsync,
            });
            management.UseHealthChecks(ReadyPath, new HealthCheckOptions
            {
                ResponseWriter = HealthJson.WriteAsync,
                AllowCachingResponses = false,
            });
            management.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsPath);
            management.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });

        // The management paths exist on no other port.
        ((IApplicationBuilder)app).MapWhen(context => IsManagementPath(context.Request.Path), other => other.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
        return app;
    }

    private static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);

    private static int ManagementPort(IConfiguration configuration)
    {
        var url = configuration[UrlKey];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Port <= 0 || !url.Contains($":{uri.Port}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{UrlKey} must be an http or https URL with an explicit port (is '{url}')");
        }

        foreach (var other in new[] { "Portal", "Soap" })
        {
            if (Uri.TryCreate(configuration[$"Kestrel:Endpoints:{other}:Url"], UriKind.Absolute, out var otherUri) && otherUri.Port == uri.Port)
            {
                throw new InvalidOperationException($"{UrlKey} must name a port of its own (is the port of Kestrel:Endpoints:{other}:Url)");
            }
        }

        return uri.Port;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Management request {Path} failed")]
    private static partial void LogFailed(ILogger logger, PathString path, Exception exception);
}
