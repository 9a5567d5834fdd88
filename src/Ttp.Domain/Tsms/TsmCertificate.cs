using System.Globalization;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Tsms;

/// <summary>A client certificate that identifies a TSM on the SOAP endpoint (pinned by SHA-256 thumbprint).</summary>
public sealed class TsmCertificate : IAuthenticatedRecord
{
    private TsmCertificate()
    {
    }

    internal TsmCertificate(Guid tsmId, CertificateInfo info, DateTimeOffset addedAt)
    {
        Id = Guid.NewGuid();
        TsmId = tsmId;
        Sha256Thumbprint = info.Sha256Thumbprint;
        Subject = info.Subject;
        Issuer = info.Issuer;
        NotBefore = Audit.AuditRecord.TruncateToMicroseconds(info.NotBefore);
        NotAfter = Audit.AuditRecord.TruncateToMicroseconds(info.NotAfter);
        Der = info.Der;
        AddedAt = addedAt;
    }

    public Guid Id { get; private set; }

    public Guid TsmId { get; private set; }

    /// <summary>SHA-256 of the DER certificate, uppercase hex: the pin.</summary>
    public string Sha256Thumbprint { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    public string Issuer { get; private set; } = string.Empty;

    public DateTimeOffset NotBefore { get; private set; }

    public DateTimeOffset NotAfter { get; private set; }

    /// <summary>The certificate itself (public data).</summary>
    public byte[] Der { get; private set; } = [];

    public DateTimeOffset AddedAt { get; private set; }

    /// <summary>When the certificate stops being accepted (rotation), possibly in the future; null while no retirement is set.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Whether the certificate is no longer accepted at <paramref name="now"/> (a retirement set for a later moment is not yet).</summary>
    public bool IsRetired(DateTimeOffset now) => RetiredAt is { } at && at <= now;

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    // Microseconds, as both databases store it, so the value the MAC covers reads back the same.
    internal void Retire(DateTimeOffset at) => RetiredAt = Audit.AuditRecord.TruncateToMicroseconds(at);

    string IAuthenticatedRecord.CanonicalForm() => string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-certificate-v1|{Id:D}|{TsmId:D}|{Sha256Thumbprint.ToUpperInvariant()}|{Tsm.Micros(NotBefore)}|{Tsm.Micros(NotAfter)}|{(RetiredAt is { } at ? Tsm.Micros(at) : string.Empty)}");

    Guid IAuthenticatedRecord.OwningTsmId => TsmId;

    string IAuthenticatedRecord.Describe() => $"certificate {Sha256Thumbprint} of TSM {TsmId:D}";

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;
}
