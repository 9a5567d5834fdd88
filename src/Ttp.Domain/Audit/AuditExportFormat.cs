namespace Ttp.Domain.Audit;

/// <summary>File format of <see cref="AuditExporter"/>.</summary>
public enum AuditExportFormat
{
    /// <summary>RFC 4180 CSV with a header line, CRLF line ends, fields quoted when they hold a comma, quote or line break.</summary>
    Csv = 1,

    /// <summary>JSON Lines: one JSON object per record, LF line ends, <c>details</c> embedded as a JSON object.</summary>
    JsonLines = 2,
}
