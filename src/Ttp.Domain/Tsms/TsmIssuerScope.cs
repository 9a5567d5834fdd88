namespace Ttp.Domain.Tsms;

/// <summary>One issuer (IIN, uppercase hex) a TSM may request keys for.</summary>
public sealed class TsmIssuerScope
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
}
