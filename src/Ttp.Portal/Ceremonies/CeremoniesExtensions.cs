namespace Ttp.Portal.Ceremonies;

/// <summary>Registers the ceremony edge (<see cref="CeremonyAdministration"/>).</summary>
public static class CeremoniesExtensions
{
    /// <summary>Adds <see cref="CeremonyAdministration"/>, scoped like the <see cref="Security.StaffAuthorization"/> it uses.</summary>
    public static IServiceCollection AddPortalCeremonies(this IServiceCollection services) =>
        services.AddScoped<CeremonyAdministration>();
}
