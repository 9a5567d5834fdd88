using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Staff;

/// <summary>
/// The staff page's thin edge: checks the Administrator policy for the acting staff member, then calls
/// <see cref="StaffService"/> or <see cref="StaffInvitationService"/> in a scope of its own (a circuit lives long; Identity's context should not).
/// </summary>
public sealed class StaffAdministration(StaffAuthorization authorization, IServiceScopeFactory scopes)
{
    /// <summary>Every staff account.</summary>
    public async Task<IReadOnlyList<StaffMember>> ListAsync()
    {
        await authorization.RequireAsync(PortalPolicies.Administrator);
        return await RunAsync(s => s.ListAsync());
    }

    /// <summary>
    /// Invites <paramref name="email"/> with <paramref name="roles"/>: returns the invitation and its one-time enrolment
    /// link on <paramref name="portal"/> (the address the Administrator reached the portal at), to be shown once.
    /// </summary>
    public async Task<(StaffInvitationInfo Invitation, Uri Link)> InviteAsync(string email, IReadOnlyCollection<string> roles, Uri portal)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        var issued = await RunInvitationsAsync(s => s.InviteAsync(email, roles, actor));
        return (issued.Invitation, issued.EnrolmentLinkOn(portal));
    }

    /// <summary>The invitations whose links can still be used.</summary>
    public async Task<IReadOnlyList<StaffInvitationInfo>> ListInvitationsAsync()
    {
        await authorization.RequireAsync(PortalPolicies.Administrator);
        return await RunInvitationsAsync(s => s.ListPendingAsync());
    }

    /// <summary>Withdraws the pending invitation <paramref name="invitationId"/>.</summary>
    public async Task RevokeInvitationAsync(Guid invitationId)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunInvitationsAsync(async s => { await s.RevokeAsync(invitationId, actor); return true; });
    }

    /// <summary>Replaces the roles of <paramref name="email"/>.</summary>
    public async Task ChangeRolesAsync(string email, IReadOnlyCollection<string> roles)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunAsync(async s => { await s.ChangeRolesAsync(email, roles, actor); return true; });
    }

    /// <summary>Disables <paramref name="email"/>.</summary>
    public async Task DisableAsync(string email)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunAsync(async s => { await s.DisableAsync(email, actor); return true; });
    }

    /// <summary>Enables <paramref name="email"/>.</summary>
    public async Task EnableAsync(string email)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunAsync(async s => { await s.EnableAsync(email, actor); return true; });
    }

    /// <summary>Removes the authenticator of <paramref name="email"/>.</summary>
    public async Task ResetTwoFactorAsync(string email)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunAsync(async s => { await s.ResetTwoFactorAsync(email, actor); return true; });
    }

    /// <summary>Ends the lockout of <paramref name="email"/>.</summary>
    public async Task UnlockAsync(string email)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Administrator);
        await RunAsync(async s => { await s.UnlockAsync(email, actor); return true; });
    }

    private async Task<T> RunAsync<T>(Func<StaffService, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffService>());
    }

    private async Task<T> RunInvitationsAsync<T>(Func<StaffInvitationService, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffInvitationService>());
    }
}
