using Microsoft.Extensions.FileProviders;
using Ttp.Domain;

namespace Ttp.Portal;

internal static class PortalExtensions
{
    /// <summary>Binds and validates the portal's option sections at start-up.</summary>
    public static WebApplicationBuilder AddPortalOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DataOptions>()
            .BindConfiguration(DataOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Serves the repository's <c>wwwroot-assets/</c> (copied next to the binaries at build) under <c>/assets</c>,
    /// with its own file provider: linking it into wwwroot hits the static-asset fingerprinting bug (STACK.md).
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
}
