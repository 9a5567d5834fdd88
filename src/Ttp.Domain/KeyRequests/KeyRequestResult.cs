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

/// <summary>One delivered card key: usage ENC/MAC/DEK, key id 1/2/3, TR-31 block or GP cryptogram, check value (3 bytes hex).</summary>
public sealed record DeliveredKey(string Usage, int KeyId, string Algorithm, int Length, string? KeyBlock, string? Cryptogram, string CheckValue);
