namespace Ttp.Portal.Accreditation;

/// <summary>Registers the accreditation edges (<see cref="TsmAccreditation"/>, <see cref="KekAdministration"/>).</summary>
public static class AccreditationExtensions
{
    /// <summary>Adds <see cref="TsmAccreditation"/> and <see cref="KekAdministration"/>, scoped like the <see cref="Security.StaffAuthorization"/> they use.</summary>
    public static IServiceCollection AddPortalAccreditation(this IServiceCollection services)
    {
        services.AddScoped<TsmAccreditation>();
        services.AddScoped<KekAdministration>();
        return services;
    }
}
