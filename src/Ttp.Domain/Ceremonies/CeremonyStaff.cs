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
        if (await RoleRefusalAsync(db, actor, role, cancellationToken) is { } refusal)
        {
            throw new RuleViolationException(refusal);
        }
    }

    /// <summary>Why <paramref name="actor"/> does not hold <paramref name="role"/> as an enabled staff member, or null.</summary>
    private static async Task<string?> RoleRefusalAsync(TtpDbContext db, Actor actor, string role, CancellationToken cancellationToken)
    {
        if (!actor.Id.StartsWith(StaffPrefix, StringComparison.Ordinal))
        {
            return $"{actor.Id} is no staff member; a ceremony step needs a {role}";
        }

        var normalized = actor.Id[StaffPrefix.Length..].ToUpperInvariant();
        var holds = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.NormalizedEmail == normalized && !u.IsDisabled && r.Name == role
                           select r.Id).AnyAsync(cancellationToken);
        return holds ? null : $"{actor.Id} is not an active {role}; this ceremony step needs one";
    }

    /// <summary>The actor of a named custodian, who must be an enabled Key custodian.</summary>
    public static async Task<Actor> CustodianAsync(TtpDbContext db, string email, CancellationToken cancellationToken)
    {
        var actor = Actor.Staff(email);
        await RequireRoleAsync(db, actor, StaffRoles.KeyCustodian, cancellationToken);
        return actor;
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not enter (or receive) the next component of <paramref name="ceremony"/>, or null
    /// when they may: the ceremony takes components, the actor is an active Key custodian, did not open it, is named (when
    /// custodians are named), and holds no component of the same key from any ceremony.
    /// </summary>
    public static async Task<string?> WhyNotAsync(TtpDbContext db, Ceremony ceremony, Actor actor, CancellationToken cancellationToken)
    {
        if (ceremony.State is not (CeremonyState.Open or CeremonyState.CollectingComponents))
        {
            return $"ceremony {ceremony.Id:D} is {ceremony.State}; it takes no more components";
        }

        if (actor.Id == ceremony.OpenedBy)
        {
            return $"{actor.Id} opened the ceremony and cannot enter a component of it";
        }

        if (await RoleRefusalAsync(db, actor, StaffRoles.KeyCustodian, cancellationToken) is { } notCustodian)
        {
            return notCustodian;
        }

        if (ceremony.Custodians is not null && !ceremony.NamedCustodians.Contains(actor.Id, StringComparer.Ordinal))
        {
            return $"{actor.Id} is not one of the ceremony's named custodians";
        }

        if (await db.CeremonyComponents.AnyAsync(c => c.KeyReference == ceremony.KeyReference && c.Custodian == actor.Id, cancellationToken))
        {
            return $"{actor.Id} already holds a component of {ceremony.Label}; one person holds at most one component of a key";
        }

        return null;
    }
}
