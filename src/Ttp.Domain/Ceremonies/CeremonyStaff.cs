using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Ceremonies;

/// <summary>Who may take which ceremony step: roles checked against the acting staff member's account, named custodians, the opener and one-component-per-person rules.</summary>
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

    /// <summary>Validates the number of components and the named custodians (trimmed, distinct; none: any Key custodian).</summary>
    public static List<string> NamedCustodians(int components, IReadOnlyList<string>? custodians)
    {
        if (components is < KeyComponents.MinimumCount or > 9)
        {
            throw new DomainInputException($"components: expected 2 to 9, found {components}");
        }

        var named = (custodians ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count > 0 && named.Count < components)
        {
            throw new DomainInputException($"custodians: {components} components need at least {components} different custodians, found {named.Count}");
        }

        return named;
    }

    /// <summary>Requires the opener to be a Security officer and each named custodian an active Key custodian other than the opener.</summary>
    public static async Task<List<Actor>> OpenerAndCustodiansAsync(TtpDbContext db, List<string> named, Actor actor, CancellationToken cancellationToken)
    {
        await RequireRoleAsync(db, actor, StaffRoles.SecurityOfficer, cancellationToken);
        var custodianActors = new List<Actor>();
        foreach (var email in named)
        {
            var custodian = await CustodianAsync(db, email, cancellationToken);
            if (custodian == actor)
            {
                throw new RuleViolationException($"{actor.Id} opens the ceremony and cannot also be one of its custodians");
            }

            custodianActors.Add(custodian);
        }

        return custodianActors;
    }
}
