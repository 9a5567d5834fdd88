namespace Ttp.Portal.Accreditation;

/// <summary>Registers the accreditation edge (<see cref="TsmAccreditation"/>).</summary>
public static class AccreditationExtensions
{
    /// <summary>Adds <see cref="TsmAccreditation"/>, scoped like the <see cref="Security.StaffAuthorization"/> it uses.</summary>
    public static IServiceCollection AddPortalAccreditation(this IServiceCollection services)
    {
        services.AddScoped<TsmAccreditation>();
        return services;
    }
}
