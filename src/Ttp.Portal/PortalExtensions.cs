using Microsoft.Extensions.FileProviders;
using Ttp.Domain;
using Ttp.Portal.Hosting;

namespace Ttp.Portal;

internal static class PortalExtensions
{
    /// <summary>
    /// The domain (same configuration and services as ttpctl) and its start-up: migrations, LMK, audit key; then the
    /// ceremonies' expiry timer (<see cref="CeremonyExpiry"/>), the alert scanner (<see cref="AlertScanning"/>) and the
    /// activity charts' rollup timer (<see cref="KeyRequestRollupTimer"/>), which wait for the domain to be ready.
    /// </summary>
    public static WebApplicationBuilder AddPortalDomain(this WebApplicationBuilder builder)
    {
        builder.Services.AddTtpDomain(builder.Configuration);
        builder.Services.AddSingleton<PortalStatus>();
        builder.Services.AddHostedService<DomainStartup>();
        builder.Services.AddHostedService<CeremonyExpiry>();
        builder.Services.AddHostedService<AlertScanning>();
        builder.Services.AddHostedService<KeyRequestRollupTimer>();
        builder.Services.AddAuditVerificationRunner();
        return builder;
    }

    /// <summary>
    /// Serves the static web assets of the packages (MudBlazor's css and js, <c>blazor.web.js</c>) from where the build
    /// left them, in every environment: without it, the portal run from <c>bin/</c> outside Development (as the tests
    /// and the release build do) answers those files empty. A published portal has them in wwwroot and no build
    /// manifest, so this does nothing there.
    /// </summary>
    public static WebApplicationBuilder AddPortalAssets(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>
    /// Serves the repository's <c>wwwroot-assets/</c> (copied next to the binaries at build) under <c>/assets</c>,
    /// with its own file provider: linking it into wwwroot hits the static-asset fingerprinting bug (docs/STACK.md).
    /// </summary>
    public static WebApplication UsePortalAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = "/assets",
        });
        return app;
    }

    /// <summary>The background runner of the audit verifications (<see cref="AuditVerificationRunner"/>): one singleton, stopped with the host.</summary>
    public static IServiceCollection AddAuditVerificationRunner(this IServiceCollection services)
    {
        services.AddSingleton<AuditVerificationRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditVerificationRunner>());
        return services;
    }
}
