using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Staff;

/// <summary>
/// The rules over staff accounts that <see cref="StaffService"/> and <see cref="StaffInvitationService"/> share: valid
/// addresses and roles, who may administer staff, the last active Administrator, and how an account joins its roles.
/// </summary>
internal static class StaffRules
{
    internal static async Task AddUserAsync(TtpDbContext db, StaffUser user, IReadOnlyCollection<string> roleNames, CancellationToken cancellationToken)
    {
        db.Users.Add(user);
        var roleIds = await db.Roles.Where(r => roleNames.Contains(r.Name!)).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var roleId in roleIds)
        {
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = roleId });
        }
    }

    internal static async Task<IReadOnlyList<string>> RolesOfAsync(TtpDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where ur.UserId == userId
               orderby r.Name
               select r.Name!).ToListAsync(cancellationToken);

    internal static Task<int> ActiveAdministratorCountAsync(TtpDbContext db, CancellationToken cancellationToken) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         join u in db.Users on ur.UserId equals u.Id
         where r.Name == StaffRoles.Administrator && !u.IsDisabled
         select u.Id).Distinct().CountAsync(cancellationToken);

    internal static async Task RequireAnotherActiveAdministratorAsync(TtpDbContext db, StaffUser user, string change, CancellationToken cancellationToken)
    {
        var others = await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            join u in db.Users on ur.UserId equals u.Id
                            where r.Name == StaffRoles.Administrator && !u.IsDisabled && u.Id != user.Id
                            select u.Id).AnyAsync(cancellationToken);
        if (!others && !user.IsDisabled)
        {
            throw new RuleViolationException($"{user.Email} is the last active Administrator and cannot be {change}");
        }
    }

    internal static string[] CanonicalRoles(IReadOnlyCollection<string> roleNames)
    {
        ArgumentNullException.ThrowIfNull(roleNames);
        if (roleNames.Count == 0)
        {
            throw new DomainInputException($"role: expected at least one of {string.Join(", ", StaffRoles.All)}");
        }

        return roleNames
            .Select(r => StaffRoles.Find(r) ?? throw new DomainInputException($"role: expected one of {string.Join(", ", StaffRoles.All)}, found '{r}'"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    internal static string RequireEmail(string email) =>
        string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal)
            ? throw new DomainInputException("email: expected an e-mail address")
            : email.Trim();

    /// <summary>
    /// Refuses <paramref name="actor"/> unless it may administer staff: an active Administrator's account, or the host
    /// operator (<c>cli:</c>, who holds the LMK file) or the server itself (<c>system</c>).
    /// </summary>
    internal static async Task RequireAdministratorAsync(TtpDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Id == Actor.System.Id || actor.Id.StartsWith("cli:", StringComparison.Ordinal))
        {
            return;
        }

        const string staffPrefix = "user:";
        var isAdministrator = false;
        if (actor.Id.StartsWith(staffPrefix, StringComparison.Ordinal))
        {
            var normalized = actor.Id[staffPrefix.Length..].ToUpperInvariant();
            isAdministrator = await (from u in db.Users
                                     join ur in db.UserRoles on u.Id equals ur.UserId
                                     join r in db.Roles on ur.RoleId equals r.Id
                                     where u.NormalizedEmail == normalized && !u.IsDisabled && r.Name == StaffRoles.Administrator
                                     select u.Id).AnyAsync(cancellationToken);
        }

        if (!isAdministrator)
        {
            throw new RuleViolationException($"{actor.Id} is not an active Administrator; only an Administrator can invite staff or withdraw an invitation");
        }
    }

    internal static string Subject(string email) => "user:" + email.ToLowerInvariant();
}
