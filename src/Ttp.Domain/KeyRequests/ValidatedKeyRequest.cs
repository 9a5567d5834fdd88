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

    private ValidatedKeyRequest()
    {
    }

    public string Iin { get; private set; } = string.Empty;

    public string Kdd { get; private set; } = string.Empty;

    public byte[] KddBytes { get; private set; } = [];

    public string? Cin { get; private set; }

    public string? SequenceCounter { get; private set; }

    public string? SecurityDomainManagerUrl { get; private set; }

    public int KekIndex { get; private set; }

    public int Kvn { get; private set; }

    /// <summary>The E0 entries of the chosen key version number.</summary>
    public IReadOnlyList<KeyInformation> Keys { get; private set; } = [];

    /// <summary>
    /// Checks <paramref name="request"/> field by field, writing each accepted value to <paramref name="trace"/> (so that a
    /// refusal is audited with what was valid); throws at the first field at fault.
    /// </summary>
    /// <exception cref="CryptoInputException">A field is malformed; the message names it and what was expected.</exception>
    public static ValidatedKeyRequest Parse(KeyRequest request, string? publicUrl, KeyRequestTrace trace)
    {
        var result = new ValidatedKeyRequest();

        result.Iin = Hex.Encode(CardDataObjects.ParseIssuerIdentificationNumber(
            Hex.Parse(request.IssuerIdentificationNumber, Fields.Iin), Fields.Iin));
        trace.Iin = result.Iin;

        result.KddBytes = CardDataObjects.ParseKeyDiversificationData(Hex.Parse(request.KeyDiversificationData, Fields.Kdd), Fields.Kdd);
        result.Kdd = Hex.Encode(result.KddBytes);
        trace.Kdd = result.Kdd;

        if (!string.IsNullOrEmpty(request.CardImageNumber))
        {
            result.Cin = Hex.Encode(CardDataObjects.ParseCardImageNumber(Hex.Parse(request.CardImageNumber, Fields.Cin), Fields.Cin));
            trace.Cin = result.Cin;
        }

        if (!string.IsNullOrEmpty(request.SequenceCounter))
        {
            var counter = Hex.Parse(request.SequenceCounter, Fields.SequenceCounter);
            _ = CardDataObjects.ParseSequenceCounter(counter, Fields.SequenceCounter);
            result.SequenceCounter = Hex.Encode(counter);
            trace.SequenceCounter = result.SequenceCounter;
        }

        result.KekIndex = request.KekIndex switch
        {
            null => throw new CryptoInputException(Fields.KekIndex, "required; expected the index (1 to 255) of one of your KEKs"),
            < 1 or > 255 => throw new CryptoInputException(Fields.KekIndex, $"expected a KEK index from 1 to 255, found {request.KekIndex}"),
            _ => request.KekIndex.Value,
        };
        trace.KekIndex = result.KekIndex;

        var template = KeyInformationTemplate.Parse(Hex.Parse(request.KeyInformationTemplate, Fields.E0), Fields.E0);
        if (request.KeyVersionNumber is { } kvn)
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

            result.Kvn = kvn;
        }
        else if (template.KeyVersionNumbers.Count == 1)
        {
            result.Kvn = template.KeyVersionNumbers[0];
        }
        else
        {
            throw new CryptoInputException(Fields.Kvn,
                $"required: the {Fields.E0} lists {template.KeyVersionNumbers.Count} key version numbers ({string.Join(", ", template.KeyVersionNumbers)}); say which one");
        }

        trace.Kvn = result.Kvn;
        result.Keys = template.Keys.Where(k => k.KeyVersionNumber == result.Kvn).ToList().AsReadOnly();

        if (!string.IsNullOrEmpty(request.SecurityDomainManagerUrl))
        {
            var url = request.SecurityDomainManagerUrl;
            if (url.Length > MaxUrlLength || url.Any(char.IsControl))
            {
                throw new CryptoInputException(Fields.Url, $"expected a URL of at most {MaxUrlLength} printable characters");
            }

            if (!string.IsNullOrWhiteSpace(publicUrl) && !SameUrl(url, publicUrl))
            {
                throw new CryptoInputException(Fields.Url, $"the card names another key server; expected {publicUrl}");
            }

            result.SecurityDomainManagerUrl = url;
            trace.SecurityDomainManagerUrl = url;
        }

        return result;
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
