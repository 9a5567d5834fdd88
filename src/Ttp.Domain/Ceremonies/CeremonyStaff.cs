using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Ceremonies;

/// <summary>The role a ceremony step needs, checked against the acting staff member's account.</summary>
internal static class CeremonyStaff
{
    private const string StaffPrefix = "user:";

    /// <summary>Refuses unless <paramref name="actor"/> is an enabled staff member holding <paramref name="role"/>.</summary>
    public static async Task RequireRoleAsync(TtpDbContext db, Actor actor, string role, CancellationToken cancellationToken)
    {
        if (!actor.Id.StartsWith(StaffPrefix, StringComparison.Ordinal))
        {
            throw new RuleViolationException($"{actor.Id} is no staff member; a ceremony step needs a {role}");
        }

        var normalized = actor.Id[StaffPrefix.Length..].ToUpperInvariant();
        var holds = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.NormalizedEmail == normalized && !u.IsDisabled && r.Name == role
                           select r.Id).AnyAsync(cancellationToken);
        if (!holds)
        {
            throw new RuleViolationException($"{actor.Id} is not an active {role}; this ceremony step needs one");
        }
    }

    /// <summary>The actor of a named custodian, who must be an enabled Key custodian.</summary>
    public static async Task<Actor> CustodianAsync(TtpDbContext db, string email, CancellationToken cancellationToken)
    {
        var actor = Actor.Staff(email);
        await RequireRoleAsync(db, actor, StaffRoles.KeyCustodian, cancellationToken);
        return actor;
    }
}
