namespace Ttp.Portal.Soap;

/// <summary>
/// Section <c>Ttp:Soap</c> as the SOAP edge reads it (the key-request use case binds <c>PublicUrl</c> and
/// <c>RateLimit</c> of the same section in its own options).
/// </summary>
public sealed class SoapOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Soap";

    /// <summary>
    /// <c>Ttp:Soap:ClientCaPath</c>: optional PEM bundle of the CA(s) TSM certificates must chain to; pinning applies
    /// either way.
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary><c>Ttp:Soap:MaxMessageBytes</c>: the largest request body accepted (413 above it).</summary>
    public int MaxMessageBytes { get; set; } = 65536;

    /// <summary>
    /// <c>Ttp:Soap:EnableBaselineEndpoint</c>: serve <c>POST /soap/v1/echo</c> on the SOAP port (mutual TLS, the same
    /// client-certificate check), answering the request body; it exists only as the load generator's baseline
    /// (tests/Ttp.LoadGenerator, scripts/load.sh). Off by default.
    /// </summary>
    public bool EnableBaselineEndpoint { get; set; }

    /// <summary>The first configuration error, naming the key; null when the options are valid.</summary>
    public string? Validate()
    {
        if (MaxMessageBytes is < 1024 or > 16 * 1024 * 1024)
        {
            return $"Ttp:Soap:MaxMessageBytes must be between 1024 and 16777216 (is {MaxMessageBytes})";
        }

        if (!string.IsNullOrWhiteSpace(ClientCaPath) && !File.Exists(ClientCaPath))
        {
            return $"Ttp:Soap:ClientCaPath names no readable file: {ClientCaPath}";
        }

        return null;
    }
}
