using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Domain.IssuerKeys;

/// <summary>What identifies and describes an issuer key set being imported.</summary>
/// <param name="Iin">Issuer identification number (tag 42 value), hex.</param>
/// <param name="Kvn">Key version number, 0-255.</param>
/// <param name="Scheme">SCP02 or SCP03.</param>
/// <param name="Method">Diversification method.</param>
/// <param name="SampleKdd">Optional known-answer sample: a KDD (hex, 10 bytes) ...</param>
/// <param name="SampleEncKcv">... and the ENC check value the issuer documents for it (hex, 3 bytes).</param>
public sealed record IssuerKeyImport(string Iin, int Kvn, SecureChannelScheme Scheme, DiversificationMethod Method, string? SampleKdd = null, string? SampleEncKcv = null);
