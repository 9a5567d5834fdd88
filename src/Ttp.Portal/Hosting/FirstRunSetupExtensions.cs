namespace Ttp.Portal.Hosting;

/// <summary>Registers the first-run setup (after the domain start-up, which it needs migrated).</summary>
internal static class FirstRunSetupExtensions
{
    /// <summary>The setup token store (for <c>/setup</c>) and <see cref="FirstRunSetup"/>.</summary>
    public static WebApplicationBuilder AddFirstRunSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FirstRunSetupToken>();
        builder.Services.AddHostedService<FirstRunSetup>();
        return builder;
    }
}
