namespace Ttp.Domain.Audit;

/// <summary>
/// One audit record with every recorded field, for an auditor's detail view: its Details JSON flattened to
/// (name, value) pairs in recorded order (nested objects as <c>checkValues.enc</c>), and the chain hash in hex.
/// When Details has <c>before</c> and/or <c>after</c> objects they are in <see cref="Before"/> and <see cref="After"/>,
/// not in <see cref="Fields"/>.
/// </summary>
public sealed record AuditRecordDetail(
    long Sequence,
    DateTimeOffset OccurredAt,
    AuditStream Stream,
    string Action,
    string Actor,
    string Subject,
    string Outcome,
    IReadOnlyList<AuditDetailField> Fields,
    IReadOnlyList<AuditDetailField>? Before,
    IReadOnlyList<AuditDetailField>? After,
    string HashHex)
{
    /// <summary>The value of the flattened field <paramref name="name"/> (e.g. <c>checkValues.enc</c>); null when absent.</summary>
    public string? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal))?.Value;
}

/// <summary>One field of a record's Details: its (dotted) name and its value as text (JSON null as <c>null</c>).</summary>
public sealed record AuditDetailField(string Name, string Value);
