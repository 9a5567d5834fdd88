namespace Ttp.Domain.Alerts;

/// <summary>A condition found in one scan: raises a new alert, or recurs on the open one with the same key.</summary>
internal sealed record AlertFinding(
    AlertKind Kind,
    string Key,
    string Subject,
    string Summary,
    string Details,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    IReadOnlyList<long> Sequences)
{
    /// <summary><paramref name="raw"/>, or when longer than the column its head and a SHA-256 of the whole.</summary>
    public static string KeyOf(string raw) => raw.Length <= AuditAlert.MaxKeyLength
        ? raw
        : raw[..(AuditAlert.MaxKeyLength - 65)] + "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
}
