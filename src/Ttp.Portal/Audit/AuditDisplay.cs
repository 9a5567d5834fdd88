using MudBlazor;
using Ttp.Domain.Audit;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Audit;

/// <summary>How the audit pages show recorded values, outcomes and the names of recorded fields (times: <see cref="TimeDisplay"/>).</summary>
public static class AuditDisplay
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["requestId"] = "Request id",
        ["tsm"] = "TSM",
        ["certificateThumbprint"] = "Certificate thumbprint",
        ["remoteAddress"] = "Remote address",
        ["securityDomainManagerUrl"] = "Security domain manager URL",
        ["iin"] = "IIN",
        ["kdd"] = "KDD",
        ["cin"] = "CIN",
        ["sequenceCounter"] = "Sequence counter",
        ["kvn"] = "KVN",
        ["kekIndex"] = "KEK index",
        ["outcome"] = "Outcome",
        ["message"] = "Message",
        ["scheme"] = "Scheme",
        ["method"] = "Method",
        ["format"] = "Format",
        ["kekCheckValue"] = "KEK check value",
        ["checkValues.enc"] = "Check value ENC",
        ["checkValues.mac"] = "Check value MAC",
        ["checkValues.dek"] = "Check value DEK",
        ["latencyMicroseconds"] = "Latency (µs)",
        ["integrityFailure"] = "Integrity failure",
    };

    /// <summary>
    /// A recorded field's value as the drawer shows it: a recorded time in the portal's format (<see cref="TimeDisplay"/>),
    /// anything else as recorded.
    /// </summary>
    public static string Value(string value) => TimeDisplay.Value(value);

    /// <summary>Whether a flattened field holds a certificate thumbprint (shown grouped, with a copy button).</summary>
    public static bool IsThumbprint(string field) => field.EndsWith("Thumbprint", StringComparison.OrdinalIgnoreCase);

    /// <summary>The label of a recorded field (its name when it has none).</summary>
    public static string Label(string field) => Labels.GetValueOrDefault(field, field);

    /// <summary>Green for ok, red for a refusal or fault.</summary>
    public static Color OutcomeColor(string outcome) =>
        string.Equals(outcome, AuditRecord.OutcomeOk, StringComparison.Ordinal) ? Color.Success : Color.Error;

    /// <summary>Whether a flattened field holds a key-request id (rendered as a link to its search).</summary>
    public static bool IsRequestId(string field) => string.Equals(field, "requestId", StringComparison.Ordinal);
}
