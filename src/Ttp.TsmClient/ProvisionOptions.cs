namespace Ttp.TsmClient;

/// <summary>What <c>ttp-tsm provision</c> was asked to do (docs/TSM-CLIENT.md).</summary>
internal sealed record ProvisionOptions
{
    public required Uri Card { get; init; }

    /// <summary><c>--ttp</c>: the TTP's SOAP endpoint; without it, the URL the card names in 5F50.</summary>
    public Uri? Ttp { get; init; }

    public required string ClientCertificate { get; init; }

    public string? ClientKey { get; init; }

    public required string Ca { get; init; }

    public required int KekIndex { get; init; }

    public required string KekFile { get; init; }

    public required string NewKeys { get; init; }

    /// <summary><c>--kvn</c>: the card's key set to open; default the first the card lists.</summary>
    public byte? KeyVersion { get; init; }

    /// <summary>The security level of both channels (EXTERNAL AUTHENTICATE P1).</summary>
    public byte SecurityLevel { get; init; } = 0x03;
}
