using Microsoft.Extensions.Logging.Console;

namespace Ttp.Portal.Hosting;

/// <summary>
/// The framework's JSON console formatter, chosen by configuration (<c>Logging:Console:FormatterName=json</c>), with
/// defaults for log collectors: a UTC ISO 8601 timestamp and the scopes (request path, trace and connection ids). Each
/// applies only when <c>Logging:Console:FormatterOptions</c> does not set it. See docs/OPERATIONS.md, "Logs".
/// </summary>
internal static class JsonConsoleLogging
{
    /// <summary>The timestamp of a JSON line: UTC, ISO 8601, milliseconds.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void AddJsonConsoleDefaults(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<JsonConsoleFormatterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var configured = configuration.GetSection("Logging:Console:FormatterOptions");
            if (configured[nameof(options.TimestampFormat)] is null)
            {
                options.TimestampFormat = TimestampFormat;
            }

            if (configured[nameof(options.UseUtcTimestamp)] is null)
            {
                options.UseUtcTimestamp = true;
            }

            if (configured[nameof(options.IncludeScopes)] is null)
            {
                options.IncludeScopes = true;
            }
        });
}
