namespace Ttp.Domain.Audit;

/// <summary>
/// One audit record as the verifier reads it (<see cref="AuditEventRows.ReadRowsAsync"/>): on SQLite the details are the
/// stored UTF-8 bytes (hashed as stored), on PostgreSQL the text.
/// </summary>
internal sealed class AuditRow
{
    public required long Sequence { get; init; }

    /// <summary>UTC microseconds since the Unix epoch, as hashed.</summary>
    public required long OccurredAtMicroseconds { get; init; }

    public DateTimeOffset OccurredAt => new(DateTimeOffset.UnixEpoch.Ticks + (OccurredAtMicroseconds * 10), TimeSpan.Zero);

    public required AuditStream Stream { get; init; }

    public required string Action { get; init; }

    public required string Actor { get; init; }

    public required string Subject { get; init; }

    public required string Outcome { get; init; }

    /// <summary>The details as text (PostgreSQL); null when <see cref="DetailsUtf8"/> holds them.</summary>
    public string? Details { get; init; }

    /// <summary>The details as stored UTF-8 bytes (SQLite); null when <see cref="Details"/> holds them.</summary>
    public byte[]? DetailsUtf8 { get; init; }

    public required byte[] Hash { get; init; }

    public byte[]? Mac { get; init; }
}
