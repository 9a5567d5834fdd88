using System.Globalization;
using Ttp.Domain.Integrity;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Staff;

/// <summary>
/// An invitation to join the staff with given roles: a one-time enrolment link (<see cref="EnrolmentLink"/>) valid for
/// <see cref="Lifetime"/>, of which only the token's SHA-256 is stored. The invitee sets their own password through it,
/// so the Administrator who invited never knows it. It decides who gets a staff role, so it is authenticated like the
/// access records: a MAC under the access-record key over the token hash, the address, the roles, the times and the
/// state, so that a database writer can neither re-point an invitation to another address, widen its roles, extend it,
/// nor bring a used or revoked one back.
/// </summary>
public sealed class StaffInvitation : IAuthenticatedRecord
{
    /// <summary>How long an enrolment link stays valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    private StaffInvitation()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The invitee's e-mail address, as the Administrator typed it (trimmed): the account's sign-in name.</summary>
    public string Email { get; private set; } = string.Empty;

    /// <summary>The address normalized as Identity does (upper case): finds earlier invitations to the same address.</summary>
    public string NormalizedEmail { get; private set; } = string.Empty;

    /// <summary>The roles the account gets (<see cref="StaffRoles"/> names, sorted, comma-separated).</summary>
    public string Roles { get; private set; } = string.Empty;

    /// <summary>SHA-256 of the token (<see cref="OneTimeToken.Hash"/>); the token itself is never stored.</summary>
    public byte[] TokenHash { get; private set; } = [];

    /// <summary>Who invited (an actor id: <c>user:...</c> or <c>cli:...</c>).</summary>
    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the link stops working: <see cref="CreatedAt"/> plus <see cref="Lifetime"/>.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public StaffInvitationState State { get; private set; }

    /// <summary>When the invitee used the link (state <see cref="StaffInvitationState.Used"/>).</summary>
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>The account the link created.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>When it was revoked (state <see cref="StaffInvitationState.Revoked"/>).</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Who revoked it (an actor id).</summary>
    public string? RevokedBy { get; private set; }

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    /// <summary>The roles as a list.</summary>
    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the link has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    internal static StaffInvitation Create(string email, string normalizedEmail, IReadOnlyCollection<string> roles, byte[] tokenHash, Actor actor, DateTimeOffset now)
    {
        var created = Audit.AuditRecord.TruncateToMicroseconds(now);
        return new StaffInvitation
        {
            Id = Guid.NewGuid(),
            Email = email,
            NormalizedEmail = normalizedEmail,
            Roles = string.Join(',', roles.Order(StringComparer.Ordinal)),
            TokenHash = tokenHash,
            CreatedBy = actor.Id,
            CreatedAt = created,
            ExpiresAt = created + Lifetime,
            State = StaffInvitationState.Pending,
        };
    }

    /// <summary>Throws the clear reason why the link cannot be used at <paramref name="now"/>; returns when it can.</summary>
    /// <exception cref="RuleViolationException">Used, revoked or expired.</exception>
    internal void RequireUsable(DateTimeOffset now)
    {
        switch (State)
        {
            case StaffInvitationState.Used:
                throw new RuleViolationException(
                    $"this enrolment link was already used on {Format(UsedAt ?? CreatedAt)}: sign in with the password chosen then, or ask an Administrator");
            case StaffInvitationState.Revoked:
                throw new RuleViolationException(
                    "this enrolment link was withdrawn (an Administrator revoked it or sent a newer invitation): use the newest link, or ask an Administrator for one");
            case StaffInvitationState.Pending when IsExpiredAt(now):
                throw new RuleViolationException(
                    $"this enrolment link expired on {Format(ExpiresAt)}: ask an Administrator for a new invitation");
            case StaffInvitationState.Pending:
                return;
            default:
                throw new IntegrityException($"staff invitation {Id:D} has an unknown state {(int)State}");
        }
    }

    /// <summary>Marks the link used by the account <paramref name="userId"/>; refused when it cannot be used.</summary>
    internal void MarkUsed(Guid userId, DateTimeOffset now)
    {
        RequireUsable(now);
        State = StaffInvitationState.Used;
        UsedAt = Audit.AuditRecord.TruncateToMicroseconds(now);
        UserId = userId;
    }

    /// <summary>Withdraws a pending invitation (expired or not); refused once used or revoked.</summary>
    internal void Revoke(Actor actor, DateTimeOffset now)
    {
        if (State != StaffInvitationState.Pending)
        {
            throw new RuleViolationException($"the invitation of {Email} was already {State.ToString().ToLowerInvariant()}");
        }

        State = StaffInvitationState.Revoked;
        RevokedAt = Audit.AuditRecord.TruncateToMicroseconds(now);
        RevokedBy = actor.Id;
    }

    string IAuthenticatedRecord.CanonicalForm() => string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-staff-invitation-v1|{Id:D}|{Convert.ToHexString(TokenHash)}|{NormalizedEmail}|{Email}|{Roles}|{CreatedBy}|{Tsm.Micros(CreatedAt)}|{Tsm.Micros(ExpiresAt)}|{(int)State}|{UserId:D}");

    // Not a TSM's record: no owning TSM.
    Guid IAuthenticatedRecord.OwningTsmId => Guid.Empty;

    string IAuthenticatedRecord.Describe() => $"staff invitation {Id:D}";

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
