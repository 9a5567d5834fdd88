using System.Text;
using Ttp.Crypto;

namespace Ttp.CardSimulator;

/// <summary>
/// The data objects the Issuer Security Domain answers to GET DATA and SELECT, encoded from the card's state
/// (GlobalPlatform Card Specification 2.3.1, 11.3 and H.2; docs/GLOBALPLATFORM.md).
/// </summary>
public static class CardDataEncoder
{
    // {globalPlatform 1}, {globalPlatform 2 2 3 1} (GP 2.3.1), {globalPlatform 3} (card identification scheme).
    private static readonly byte[] GlobalPlatformOid = Convert.FromHexString("2A864886FC6B01");
    private static readonly byte[] VersionOid = Convert.FromHexString("2A864886FC6B02020301");
    private static readonly byte[] IdentificationSchemeOid = Convert.FromHexString("2A864886FC6B03");
    private static readonly byte[] ScpOidPrefix = Convert.FromHexString("2A864886FC6B04");

    /// <summary>The GET DATA answer for a tag (the whole data object), or <see langword="null"/> when the card has no such object.</summary>
    public static byte[]? GetData(CardState card, int tag)
    {
        ArgumentNullException.ThrowIfNull(card);
        return tag switch
        {
            0x5F50 => BerTlv.Encode(0x5F50, Encoding.UTF8.GetBytes(card.SecurityDomainManagerUrl)),
            0xCF => BerTlv.Encode(0xCF, card.Kdd),
            0xE0 => KeyInformationTemplate(card),
            0xC1 => BerTlv.Encode(0xC1, SequenceCounterBytes(card)),
            0x42 => BerTlv.Encode(0x42, card.Iin),
            0x45 => BerTlv.Encode(0x45, card.Cin),
            0x66 => BerTlv.EncodeConstructed(0x66, CardRecognitionData(card)),
            _ => null,
        };
    }

    /// <summary>The FCI of the ISD: <c>6F { 84 AID, A5 { 73 card recognition data, 9F65 FF } }</c> (11.9.3.1).</summary>
    public static byte[] SelectResponse(CardState card) =>
        card is null ? throw new ArgumentNullException(nameof(card)) :
        BerTlv.EncodeConstructed(
            0x6F,
            BerTlv.Encode(0x84, card.IsdAid),
            BerTlv.EncodeConstructed(0xA5, CardRecognitionData(card), BerTlv.Encode(0x9F65, [0xFF])));

    /// <summary>The sequence counter as the protocol carries it: 2 bytes (SCP02) or 3 (SCP03).</summary>
    public static byte[] SequenceCounterBytes(CardState card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var counter = card.SequenceCounter;
        return card.Scp == ScpVersion.Scp02
            ? [(byte)(counter >> 8), (byte)counter]
            : [(byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
    }

    // Tag 73 (H.2): the GlobalPlatform OID, version, identification scheme and the default key set's SCP and i.
    private static byte[] CardRecognitionData(CardState card)
    {
        var keySet = card.KeySets[0];
        return BerTlv.EncodeConstructed(
            0x73,
            BerTlv.Encode(0x06, GlobalPlatformOid),
            BerTlv.EncodeConstructed(0x60, BerTlv.Encode(0x06, VersionOid)),
            BerTlv.EncodeConstructed(0x63, BerTlv.Encode(0x06, IdentificationSchemeOid)),
            BerTlv.EncodeConstructed(0x64, BerTlv.Encode(0x06, [.. ScpOidPrefix, (byte)keySet.Scp, keySet.Option])));
    }

    // E0 with one basic C0 entry per key: key id, KVN, type (80 DES, 88 AES) and length (11.3.3.1).
    private static byte[] KeyInformationTemplate(CardState card)
    {
        var entries = new List<byte[]>();
        foreach (var keySet in card.KeySets)
        {
            var type = keySet.Scp == ScpVersion.Scp02 ? (byte)0x80 : (byte)0x88;
            for (byte id = 1; id <= 3; id++)
            {
                entries.Add(BerTlv.Encode(0xC0, [id, keySet.KeyVersion, type, (byte)keySet.KeyLength]));
            }
        }

        return BerTlv.EncodeConstructed(0xE0, [.. entries]);
    }
}
