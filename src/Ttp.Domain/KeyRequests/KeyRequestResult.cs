using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Domain.KeyRequests;

/// <summary>The answer to a key request: the three card keys wrapped under the TSM's KEK, with check values.</summary>
public sealed record KeyRequestResult(
    Guid RequestId,
    string Scheme,
    int KeyVersionNumber,
    string DiversificationMethod,
    int KekIndex,
    string KekCheckValue,
    string Format,
    IReadOnlyList<DeliveredKey> Keys);

/// <summary>One delivered card key: which one (ENC/MAC/DEK), TR-31 block or GP cryptogram, check value (3 bytes hex).</summary>
public sealed record DeliveredKey(StaticKeyId Key, string Algorithm, int Length, string? KeyBlock, string? Cryptogram, string CheckValue)
{
    /// <summary>The key's name as the SOAP response and the audit record spell it: <c>ENC</c>, <c>MAC</c> or <c>DEK</c>.</summary>
    public string Usage => KeyDelivery.UsageName(Key);

    /// <summary>The key's GlobalPlatform key identifier: 1, 2 or 3.</summary>
    public int KeyId => (int)Key;
}
