namespace Ttp.Portal.IssuerKeys;

/// <summary>Registers the issuer key edge (<see cref="IssuerKeyAdministration"/>).</summary>
public static class IssuerKeysExtensions
{
    /// <summary>Adds <see cref="IssuerKeyAdministration"/>, scoped like the <see cref="Security.StaffAuthorization"/> it uses.</summary>
    public static IServiceCollection AddPortalIssuerKeys(this IServiceCollection services) =>
        services.AddScoped<IssuerKeyAdministration>();
}
