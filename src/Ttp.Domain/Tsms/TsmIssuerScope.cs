using System.Globalization;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Tsms;

/// <summary>One issuer (IIN, uppercase hex) a TSM may request keys for.</summary>
public sealed class TsmIssuerScope : IAuthenticatedRecord
{
    private TsmIssuerScope()
    {
    }

    internal TsmIssuerScope(Guid tsmId, string iin)
    {
        Id = Guid.NewGuid();
        TsmId = tsmId;
        Iin = Ttp.Crypto.Hex.Encode(Ttp.Crypto.Hex.Parse(iin, "issuer"));
    }

    public Guid Id { get; private set; }

    public Guid TsmId { get; private set; }

    public string Iin { get; private set; } = string.Empty;

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    string IAuthenticatedRecord.CanonicalForm() => string.Create(CultureInfo.InvariantCulture, $"ttp-scope-v1|{Id:D}|{TsmId:D}|{Iin}");

    Guid IAuthenticatedRecord.OwningTsmId => TsmId;

    string IAuthenticatedRecord.Describe() => $"scope entry {Id:D} (issuer {Iin} of TSM {TsmId:D})";

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;
}
