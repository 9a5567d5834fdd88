namespace Ttp.Portal.Staff;

/// <summary>Registers the staff administration edge.</summary>
internal static class StaffExtensions
{
    public static IServiceCollection AddPortalStaff(this IServiceCollection services) => services.AddScoped<StaffAdministration>();
}
