using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// A <see cref="KeyRequest"/> whose every field passed the strict checks of docs/DESIGN.md section 5 and docs/GLOBALPLATFORM.md:
/// hex (either case, even length), KDD of exactly 10 bytes, a strict BER-TLV Key Information Template, C1 of 2 or 3
/// bytes, IIN and CIN of 1 to 16 bytes, a KEK index from 1 to 255, and one key version number (given, and listed in
/// E0; or the only one E0 lists). Binary values are kept as uppercase hex.
/// </summary>
internal sealed class ValidatedKeyRequest
{
    /// <summary>Longest Security Domain Manager URL accepted (it is recorded in the audit chain).</summary>
    public const int MaxUrlLength = 1024;

    private ValidatedKeyRequest(KeyRequestFields fields, byte[] kddBytes, IReadOnlyList<KeyInformation> keys)
    {
        Values = fields;
        KddBytes = kddBytes;
        Keys = keys;
    }

    /// <summary>The request's values as recorded (every field that applies is set).</summary>
    public KeyRequestFields Values { get; }

    public string Iin => Values.Iin!;

    public byte[] KddBytes { get; }

    public int KekIndex => Values.KekIndex!.Value;

    public int Kvn => Values.Kvn!.Value;

    /// <summary>The E0 entries of the chosen key version number.</summary>
    public IReadOnlyList<KeyInformation> Keys { get; }

    /// <summary>
    /// Checks <paramref name="request"/> field by field, stopping at the first field at fault. Pure: the outcome carries
    /// the request when every field passed, else the fault and the values accepted before it (so that a refusal is
    /// audited with what was valid).
    /// </summary>
    public static KeyRequestValidation Parse(KeyRequest request, string? publicUrl)
    {
        string? iin = null, kdd = null, cin = null, counter = null, url = null;
        int? kekIndex = null, kvn = null;
        try
        {
            iin = Hex.Encode(CardDataObjects.ParseIssuerIdentificationNumber(
                Hex.Parse(request.IssuerIdentificationNumber, Fields.Iin), Fields.Iin));

            var kddBytes = CardDataObjects.ParseKeyDiversificationData(Hex.Parse(request.KeyDiversificationData, Fields.Kdd), Fields.Kdd);
            kdd = Hex.Encode(kddBytes);

            if (!string.IsNullOrEmpty(request.CardImageNumber))
            {
                cin = Hex.Encode(CardDataObjects.ParseCardImageNumber(Hex.Parse(request.CardImageNumber, Fields.Cin), Fields.Cin));
            }

            if (!string.IsNullOrEmpty(request.SequenceCounter))
            {
                var parsed = Hex.Parse(request.SequenceCounter, Fields.SequenceCounter);
                _ = CardDataObjects.ParseSequenceCounter(parsed, Fields.SequenceCounter);
                counter = Hex.Encode(parsed);
            }

            kekIndex = request.KekIndex switch
            {
                null => throw new CryptoInputException(Fields.KekIndex, "required; expected the index (1 to 255) of one of your KEKs"),
                < 1 or > 255 => throw new CryptoInputException(Fields.KekIndex, $"expected a KEK index from 1 to 255, found {request.KekIndex}"),
                _ => request.KekIndex.Value,
            };

            var template = KeyInformationTemplate.Parse(Hex.Parse(request.KeyInformationTemplate, Fields.E0), Fields.E0);
            kvn = KeyVersionNumberOf(request.KeyVersionNumber, template);
            var chosen = kvn.Value;
            var keys = template.Keys.Where(k => k.KeyVersionNumber == chosen).ToList().AsReadOnly();

            if (!string.IsNullOrEmpty(request.SecurityDomainManagerUrl))
            {
                url = request.SecurityDomainManagerUrl;
                if (url.Length > MaxUrlLength || url.Any(char.IsControl))
                {
                    url = null;
                    throw new CryptoInputException(Fields.Url, $"expected a URL of at most {MaxUrlLength} printable characters");
                }

                if (!string.IsNullOrWhiteSpace(publicUrl) && !SameUrl(url, publicUrl))
                {
                    url = null;
                    throw new CryptoInputException(Fields.Url, $"the card names another key server; expected {publicUrl}");
                }
            }

            return new KeyRequestValidation(new ValidatedKeyRequest(new KeyRequestFields(iin, kdd, cin, counter, url, kvn, kekIndex), kddBytes, keys));
        }
        catch (CryptoInputException e)
        {
            return new KeyRequestValidation(new KeyRequestFields(iin, kdd, cin, counter, url, kvn, kekIndex), e);
        }
    }

    private static int KeyVersionNumberOf(int? given, KeyInformationTemplate template)
    {
        if (given is { } kvn)
        {
            if (kvn is < 0 or > 255)
            {
                throw new CryptoInputException(Fields.Kvn, $"expected a key version number from 0 to 255, found {kvn}");
            }

            if (!template.KeyVersionNumbers.Contains((byte)kvn))
            {
                throw new CryptoInputException(Fields.Kvn,
                    $"key version number {kvn} is not listed in the {Fields.E0} (it lists {string.Join(", ", template.KeyVersionNumbers)})");
            }

            return kvn;
        }

        return template.KeyVersionNumbers.Count == 1
            ? template.KeyVersionNumbers[0]
            : throw new CryptoInputException(Fields.Kvn,
                $"required: the {Fields.E0} lists {template.KeyVersionNumbers.Count} key version numbers ({string.Join(", ", template.KeyVersionNumbers)}); say which one");
    }

    // Uri lower-cases scheme and host (case-insensitive, RFC 3986 6.2.2.1); a trailing slash is not significant here.
    private static bool SameUrl(string given, string configured) =>
        Uri.TryCreate(given, UriKind.Absolute, out var a) && Uri.TryCreate(configured, UriKind.Absolute, out var b)
        && string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>The request's field names, as the SOAP contract spells them: error messages name them.</summary>
    internal static class Fields
    {
        public const string Url = "SecurityDomainManagerUrl";
        public const string Kdd = "KeyDiversificationData";
        public const string E0 = "KeyInformationTemplate";
        public const string SequenceCounter = "SequenceCounter";
        public const string Iin = "IssuerIdentificationNumber";
        public const string Cin = "CardImageNumber";
        public const string Kvn = "KeyVersionNumber";
        public const string KekIndex = "KekIndex";
    }
}

/// <summary>The request values a key request's audit record carries: those that passed validation (null: absent or not reached).</summary>
internal sealed record KeyRequestFields(
    string? Iin, string? Kdd, string? Cin, string? SequenceCounter, string? SecurityDomainManagerUrl, int? Kvn, int? KekIndex)
{
    /// <summary>Nothing accepted (the request was not read).</summary>
    public static readonly KeyRequestFields None = new(null, null, null, null, null, null, null);
}

/// <summary>
/// The outcome of <see cref="ValidatedKeyRequest.Parse"/>: the valid request, or the first field at fault
/// (<see cref="Failure"/>, whose message names it) with the values accepted before it.
/// </summary>
internal readonly struct KeyRequestValidation
{
    public KeyRequestValidation(ValidatedKeyRequest valid)
        : this(valid.Values, null) => Valid = valid;

    public KeyRequestValidation(KeyRequestFields accepted, CryptoInputException? failure)
    {
        Accepted = accepted;
        Failure = failure;
    }

    /// <summary>The request when every field passed; else null.</summary>
    public ValidatedKeyRequest? Valid { get; }

    /// <summary>The values that passed, for the audit record.</summary>
    public KeyRequestFields Accepted { get; }

    /// <summary>The first field at fault; null when the request is valid.</summary>
    public CryptoInputException? Failure { get; }
}
