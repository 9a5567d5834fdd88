using System.Globalization;
using System.Text;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.TsmClient.Card;

/// <summary>
/// Step 2 of the scheme: selects the Issuer Security Domain and reads its data objects with GET DATA (GlobalPlatform
/// Card Specification 2.3.1, 11.3): card data (<c>66</c>), KDD (<c>CF</c>), key information template (<c>E0</c>), IIN
/// (<c>42</c>), CIN (<c>45</c>), sequence counter (<c>C1</c>) and Security Domain Manager URL (<c>5F50</c>).
/// </summary>
internal static class CardReader
{
    private const string Step = "card";

    /// <summary>Reads the card; <paramref name="keyVersion"/> chooses a key set when the card has several (default: the first).</summary>
    /// <exception cref="ProvisionException">The card cannot be read, lacks a mandatory object or lists no such key set (exit 3).</exception>
    public static async Task<CardInfo> ReadAsync(CardConnection card, byte? keyVersion, CancellationToken cancellationToken)
    {
        // SELECT with no AID selects the Issuer Security Domain (GP 2.3.1, 11.9.2.1).
        var select = await card.TransmitAsync([0x00, 0xA4, 0x04, 0x00, 0x00], Step, cancellationToken).ConfigureAwait(false);
        Require(select, "SELECT of the Issuer Security Domain");
        var fci = Parse(select.Data, 0x6F, "the SELECT answer (FCI)");
        var aid = fci.Find(0x84)?.Value.ToArray()
            ?? throw new ProvisionException(Step, ExitCodes.Card, "the SELECT answer names no AID (tag 84)");

        var kdd = await GetAsync(card, 0xCF, required: true, cancellationToken).ConfigureAwait(false);
        var template = await GetRawAsync(card, 0xE0, required: true, cancellationToken).ConfigureAwait(false);
        var iin = await GetAsync(card, 0x42, required: true, cancellationToken).ConfigureAwait(false);
        var cin = await GetAsync(card, 0x45, required: false, cancellationToken).ConfigureAwait(false);
        var counter = await GetAsync(card, 0xC1, required: false, cancellationToken).ConfigureAwait(false);
        var url = await GetAsync(card, 0x5F50, required: false, cancellationToken).ConfigureAwait(false);
        var cardData = await GetRawAsync(card, 0x66, required: true, cancellationToken).ConfigureAwait(false);

        CardRecognitionData recognition;
        KeyInformationTemplate keys;
        try
        {
            CardDataObjects.ParseKeyDiversificationData(kdd!, "KDD (CF)");
            recognition = CardRecognitionData.Parse(cardData!, "card data (66)");
            keys = KeyInformationTemplate.Parse(template!, "key information template (E0)");
        }
        catch (Exception e) when (e is CryptoInputException or TlvException)
        {
            throw new ProvisionException(Step, ExitCodes.Card, e.Message);
        }

        if (recognition.ScpVersion is not (2 or 3) || recognition.ScpOption is null)
        {
            throw new ProvisionException(Step, ExitCodes.Card, "the card data (66) names no SCP02 or SCP03 secure channel");
        }

        var chosen = keyVersion ?? keys.KeyVersionNumbers[0];
        var key = keys.Keys.FirstOrDefault(k => k.KeyVersionNumber == chosen)
            ?? throw new ProvisionException(Step, ExitCodes.Card,
                $"the card has no key set with KVN {chosen:X2} (it lists {string.Join(", ", keys.KeyVersionNumbers.Select(v => v.ToString("X2", CultureInfo.InvariantCulture)))})");

        return new CardInfo
        {
            IsdAid = aid,
            Kdd = kdd!,
            KeyInformationTemplate = template!,
            Iin = iin!,
            Cin = cin,
            SequenceCounter = counter,
            SecurityDomainManagerUrl = url is null ? null : Encoding.UTF8.GetString(url),
            Scp = recognition.ScpVersion.Value,
            ScpOption = (byte)recognition.ScpOption.Value,
            KeyVersion = chosen,
            KeyLength = key.KeyLength,
            KeyVersions = keys.KeyVersionNumbers,
        };
    }

    // The value of the data object (GET DATA answers the whole object).
    private static async Task<byte[]?> GetAsync(CardConnection card, int tag, bool required, CancellationToken cancellationToken)
    {
        var raw = await GetRawAsync(card, tag, required, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : Parse(raw, tag, $"the data object {BerTlv.FormatTag(tag)}").Value.ToArray();
    }

    private static async Task<byte[]?> GetRawAsync(CardConnection card, int tag, bool required, CancellationToken cancellationToken)
    {
        var answer = await card.TransmitAsync([0x80, 0xCA, (byte)(tag >> 8), (byte)tag, 0x00], Step, cancellationToken).ConfigureAwait(false);
        if (answer.Status == 0x6A88 && !required)
        {
            return null;
        }

        Require(answer, $"GET DATA {BerTlv.FormatTag(tag)}");
        return answer.Data;
    }

    private static TlvNode Parse(byte[] data, int tag, string what)
    {
        try
        {
            return BerTlv.ParseSingle(data, tag, what);
        }
        catch (TlvException e)
        {
            throw new ProvisionException(Step, ExitCodes.Card, e.Message);
        }
    }

    private static void Require(ResponseApdu answer, string command)
    {
        if (!answer.IsSuccess)
        {
            throw new ProvisionException(Step, ExitCodes.Card, $"{command}: the card answered {answer.Describe()}");
        }
    }
}
