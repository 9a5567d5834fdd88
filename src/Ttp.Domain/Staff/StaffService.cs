using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Staff;

/// <summary>Staff accounts: create with a role (the CLI's bootstrap path; the portal adds invitations and 2FA).</summary>
public sealed class StaffService(UserManager<StaffUser> users, RoleManager<IdentityRole<Guid>> roles, AuditedTransaction audited)
{
    /// <summary>Creates a staff account with one role; the e-mail is its sign-in name. The password must meet the policy.</summary>
    public async Task<StaffUser> AddAsync(string email, string role, string password, Actor actor, CancellationToken cancellationToken = default)
    {
        var canonicalRole = StaffRoles.Find(role)
            ?? throw new DomainInputException($"role: expected one of {string.Join(", ", StaffRoles.All)}, found '{role}'");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            throw new DomainInputException("email: expected an e-mail address");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new RuleViolationException($"a staff account for {email} already exists");
        }

        await EnsureRolesAsync();
        var user = new StaffUser { Id = Guid.NewGuid(), UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true };
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                throw new DomainInputException("password: " + string.Join(" ", check.Errors.Select(e => e.Description)));
            }
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.NormalizedEmail = users.NormalizeEmail(user.Email);
        user.NormalizedUserName = users.NormalizeName(user.UserName);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        return await audited.RunAsync(async db =>
        {
            db.Users.Add(user);
            var roleId = await db.Roles.Where(r => r.Name == canonicalRole).Select(r => r.Id).SingleAsync(cancellationToken);
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = roleId });
            return (user, AuditRecord.StaffAction("user.added", actor, "user:" + user.Email!.ToLowerInvariant(), new { user.Email, Role = canonicalRole }));
        }, cancellationToken);
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }
    }
}
