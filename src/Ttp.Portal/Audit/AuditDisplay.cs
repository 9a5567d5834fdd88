using System.Globalization;
using MudBlazor;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Audit;

/// <summary>How the audit pages show times, outcomes and the names of recorded fields.</summary>
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

    /// <summary>A time as the audit pages show it: <c>yyyy-MM-dd HH:mm:ss</c> UTC.</summary>
    public static string Time(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The label of a recorded field (its name when it has none).</summary>
    public static string Label(string field) => Labels.GetValueOrDefault(field, field);

    /// <summary>Green for ok, red for a refusal or fault.</summary>
    public static Color OutcomeColor(string outcome) =>
        string.Equals(outcome, AuditRecord.OutcomeOk, StringComparison.Ordinal) ? Color.Success : Color.Error;

    /// <summary>Whether a flattened field holds a key-request id (rendered as a link to its search).</summary>
    public static bool IsRequestId(string field) => string.Equals(field, "requestId", StringComparison.Ordinal);
}
