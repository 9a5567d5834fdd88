using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Domain.Tsms;

/// <summary>
/// The issuer scope of a TSM as operators enter it: IINs in hex, 1 to 16 bytes (as a key request's tag 42 must be,
/// see <c>ValidatedKeyRequest</c>), stored in uppercase without duplicates.
/// </summary>
public static class TsmIssuers
{
    /// <summary>The IINs in uppercase hex, without duplicates, in the order given.</summary>
    /// <exception cref="DomainInputException">An IIN is not hex or not 1 to 16 bytes long.</exception>
    public static IReadOnlyList<string> Normalize(IEnumerable<string>? issuers)
    {
        var result = new List<string>();
        foreach (var raw in issuers ?? [])
        {
            var text = (raw ?? string.Empty).Trim();
            string iin;
            try
            {
                iin = Hex.Encode(CardDataObjects.ParseIssuerIdentificationNumber(Hex.Parse(text, "issuer"), "issuer"));
            }
            catch (CryptoInputException)
            {
                throw new DomainInputException(
                    $"issuer '{Shorten(text)}': expected an IIN of 1 to {CardDataObjects.MaxIdentificationNumberLength} bytes in hex (an even number of digits 0-9 A-F)");
            }

            if (!result.Contains(iin, StringComparer.Ordinal))
            {
                result.Add(iin);
            }
        }

        return result;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
