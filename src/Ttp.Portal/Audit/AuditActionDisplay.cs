using System.Collections.Frozen;

namespace Ttp.Portal.Audit;

/// <summary>
/// Audit actions in words, for every page that lists them (dashboard, staff actions, record drawer, timelines of TSMs,
/// key sets and ceremonies): <c>user.2fa-enrolled</c> reads "Second factor enrolled", with the code itself in a tooltip
/// (<see cref="Components.Shared.AuditAction"/>), since auditors search and export by code. The table covers every action
/// the domain, the portal and ttpctl record (a test reads the codes out of the compiled assemblies and names any without
/// words); a code it does not know yet still reads as words (<see cref="Fallback"/>), never as a blank.
/// </summary>
public static class AuditActionDisplay
{
    private static readonly FrozenDictionary<string, string> Words = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Key requests (the KeyRequest stream).
        ["key-request"] = "Key request",
        ["key-request.refusals-summarised"] = "Key request refusals summarised",

        // TSM accreditation.
        ["tsm.registered"] = "TSM registered",
        ["tsm.approved"] = "TSM approved",
        ["tsm.rejected"] = "TSM rejected",
        ["tsm.suspended"] = "TSM suspended",
        ["tsm.revoked"] = "TSM revoked",
        ["tsm.reinstatement-proposed"] = "TSM reinstatement proposed",
        ["tsm.scope-updated"] = "TSM scope changed",
        ["tsm.change-approved"] = "TSM change approved",
        ["tsm.change-rejected"] = "TSM change rejected",
        ["tsm.certificate-added"] = "TSM certificate added",
        ["tsm.certificate-proposed"] = "TSM certificate proposed",
        ["tsm.certificate-retired"] = "TSM certificate retired",

        // Key-encryption keys and issuer master keys.
        ["kek.imported"] = "KEK imported",
        ["kek.generated"] = "KEK generated",
        ["kek.activated"] = "KEK activated",
        ["kek.retired"] = "KEK retired",
        ["issuer-key.imported"] = "Issuer key set imported",
        ["issuer-key.activated"] = "Issuer key set activated",
        ["issuer-key.suspended"] = "Issuer key set suspended",
        ["issuer-key.reinstated"] = "Issuer key set reinstated",
        ["issuer-key.retired"] = "Issuer key set retired",

        // Key ceremonies.
        ["ceremony.opened"] = "Ceremony opened",
        ["ceremony.component-entered"] = "Component entered",
        ["ceremony.component-refused"] = "Component refused (check value mismatch)",
        ["ceremony.component-received"] = "Component received",
        ["ceremony.component-acknowledged"] = "Component recorded by its custodian",
        ["ceremony.confirmation-refused"] = "Confirmation refused (check value differs)",
        ["ceremony.completed"] = "Ceremony completed: key created",
        ["ceremony.aborted"] = "Ceremony aborted",
        ["ceremony.expired"] = "Ceremony expired",

        // Staff accounts.
        ["user.added"] = "Staff member added",
        ["user.invited"] = "Staff member invited",
        ["user.invitation-revoked"] = "Invitation revoked",
        ["user.roles-changed"] = "Roles changed",
        ["user.disabled"] = "Staff member disabled",
        ["user.enabled"] = "Staff member enabled",
        ["user.unlocked"] = "Staff member unlocked",
        ["user.signed-in"] = "Signed in",
        ["user.signed-out"] = "Signed out",
        ["user.signed-out-everywhere"] = "Signed out everywhere",
        ["user.password-refused"] = "Sign-in refused: password",
        ["user.code-refused"] = "Sign-in refused: authenticator code",
        ["user.recovery-code-refused"] = "Sign-in refused: recovery code",
        ["user.locked-out"] = "Locked out after failed sign-ins",
        ["user.password-changed"] = "Password changed",
        ["user.password-change-refused"] = "Password change refused",
        ["user.recovery-codes-regenerated"] = "New recovery codes",
        ["user.2fa-enrolled"] = "Second factor enrolled",
        ["user.2fa-reset"] = "Second factor reset",
        ["user.approver-refused"] = "Approver's credentials refused",

        // The audit trail itself and alerts.
        ["audit.anchored"] = "Audit trail anchored",
        ["audit.exported"] = "Audit trail exported",
        ["audit.verification-started"] = "Audit verification started",
        ["audit.verification-finished"] = "Audit verification finished",
        ["alert.raised"] = "Alert raised",
        ["alert.acknowledged"] = "Alert acknowledged",

        // Integrity of stored records and keys.
        ["integrity.record-rejected"] = "Record rejected: integrity check failed",
        ["integrity.key-damaged"] = "Stored key damaged: integrity check failed",
        ["integrity.records-authenticated"] = "Access records sealed (upgrade)",
        ["integrity.key-states-authenticated"] = "Key states sealed (upgrade)",
        ["keystore.attributes-sealed"] = "Key attributes sealed (upgrade)",
        ["staff.2fa-secrets-sealed"] = "Second-factor secrets sealed (upgrade)",

        // The installation.
        ["lmk.rotated"] = "LMK rotated",
        ["dataprotection.key-added"] = "Cookie protection key added",
        ["dataprotection.keys-imported"] = "Cookie protection keys moved into the database",
        ["installation.backed-up"] = "Installation backed up",
        ["installation.backup-failed"] = "Backup failed",
        ["installation.restored"] = "Installation restored",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The codes that have words of their own.</summary>
    public static IReadOnlyCollection<string> KnownCodes => Words.Keys;

    /// <summary>Whether <paramref name="code"/> has words of its own (not the <see cref="Fallback"/>).</summary>
    public static bool IsKnown(string code) => Words.ContainsKey(code);

    /// <summary>An action in words, e.g. "Second factor enrolled" for <c>user.2fa-enrolled</c>.</summary>
    public static string Text(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Words.TryGetValue(code, out var words) ? words : Fallback(code);
    }

    /// <summary>
    /// The words of a code without an entry: its area and its event, hyphens as spaces, e.g. <c>user.sign-in-failed</c>
    /// reads "User: sign in failed". Readable, but the table should get real words (the test lists such codes).
    /// </summary>
    public static string Fallback(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (string.IsNullOrWhiteSpace(code))
        {
            return "(no action)";
        }

        var dot = code.IndexOf('.', StringComparison.Ordinal);
        var area = Spaced(dot < 0 ? code : code[..dot]);
        return dot < 0 || dot == code.Length - 1 ? Capitalised(area) : $"{Capitalised(area)}: {Spaced(code[(dot + 1)..])}";

        static string Spaced(string part) => part.Replace('-', ' ').Replace('.', ' ').Trim();

        static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
