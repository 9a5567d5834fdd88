using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Hosting;

/// <summary>
/// The first run (docs/DESIGN.md section 7, no self-registration): when no active Administrator exists, creates a one-time
/// setup token and, once the server listens, logs the link <c>https://&lt;portal&gt;/setup?token=...</c> at Warning, once.
/// That link is the only secret the portal ever logs, and it is dead once used (docs/OPERATIONS.md). When an
/// Administrator exists, any left-over token is deleted. Also turns lockout on for accounts created before every new
/// account had it. Runs after <see cref="DomainStartup"/> (migrations).
/// </summary>
internal sealed partial class FirstRunSetup(
    IServiceProvider services,
    FirstRunSetupToken setupToken,
    IHostApplicationLifetime lifetime,
    IServer server,
    IConfiguration configuration,
    ILogger<FirstRunSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
        await staff.EnableLockoutForAllAsync(cancellationToken);
        if (await staff.HasActiveAdministratorAsync(cancellationToken))
        {
            setupToken.Delete();
            return;
        }

        var token = setupToken.Create();
        lifetime.ApplicationStarted.Register(() => LogSetupLink(logger, $"{PortalAddress()}/setup?token={token}"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The portal endpoint's address (not the SOAP one), with a wildcard host shown as <c>localhost</c>.</summary>
    private string PortalAddress()
    {
        var soap = Uri.TryCreate(configuration["Kestrel:Endpoints:Soap:Url"], UriKind.Absolute, out var soapUri) ? soapUri.Port : -1;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var portal = addresses
            .Select(a => a.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal)
                .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal).Replace("://[::]:", "://localhost:", StringComparison.Ordinal))
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(u => u is not null && u.Scheme == Uri.UriSchemeHttps && u.Port != soap);
        return portal is null ? "https://<portal endpoint>" : portal.GetLeftPart(UriPartial.Authority);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No administrator exists. Create the first one with this one-time link (valid until used): {SetupLink}")]
    private static partial void LogSetupLink(ILogger logger, string setupLink);
}
