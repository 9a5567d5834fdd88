using Ttp.Crypto;

namespace Ttp.CardSimulator;

/// <summary>
/// GET STATUS and DELETE over the simulated card's registry, which holds the Issuer Security Domain and its
/// executable load file only (GlobalPlatform Card Specification 2.3.1, 11.4 and 11.2).
/// </summary>
public static class RegistryProcessor
{
    // The load file of Security Domains (the ISD's executable load file), as real cards list it.
    private static readonly byte[] SecurityDomainLoadFile = Convert.FromHexString("A0000001515350");

    /// <summary>GET STATUS with the TLV format (P2 02); P1 80 (ISD) and 20 (load files) list one entry, 40 and 10 none.</summary>
    public static byte[] GetStatus(CardState card, CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(command);
        if (command.P2 is not (0x02 or 0x03))
        {
            throw new CardException(StatusWord.IncorrectP1P2, "only the TLV format (P2 02) is supported");
        }

        var (aid, entry) = command.P1 switch
        {
            0x80 => (card.IsdAid, IsdEntry(card.IsdAid)),
            0x20 => (SecurityDomainLoadFile, LoadFileEntry()),
            0x40 or 0x10 => ((byte[]?)null, (byte[]?)null),
            _ => throw new CardException(StatusWord.IncorrectP1P2, "unknown GET STATUS subset"),
        };
        var criterion = SearchAid(command.Data);
        if (entry is null || aid is null || command.P2 == 0x03 || (criterion.Length > 0 && !aid.AsSpan().StartsWith(criterion)))
        {
            throw new CardException(StatusWord.ReferencedDataNotFound, "no registry entry matches");
        }

        return entry;
    }

    /// <summary>DELETE: the ISD cannot be deleted (6985); no other object exists (6A88).</summary>
    public static byte[] Delete(CardState card, CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(command);
        var aid = SearchAid(command.Data);
        if (aid.Length is < 5 or > 16)
        {
            throw new CardException(StatusWord.IncorrectData, "expected an AID of 5 to 16 bytes");
        }

        if (aid.AsSpan().SequenceEqual(card.IsdAid))
        {
            throw new CardException(StatusWord.ConditionsNotSatisfied, "the Issuer Security Domain cannot be deleted");
        }

        throw new CardException(StatusWord.ReferencedDataNotFound, "no such application or load file");
    }

    // The ISD entry (tag E3) as the card in kaoh/globalplatform globalplatform/src/scp03Test.c, get_status_enc_mac,
    // answers it: AID, life cycle 0F00 (SECURED), privileges 82FC80, load file, version 0100, associated SD (itself),
    // implicit selection parameter 80 03 008000.
    private static byte[] IsdEntry(byte[] isdAid) =>
        BerTlv.EncodeConstructed(
            0xE3,
            BerTlv.Encode(0x4F, isdAid),
            BerTlv.Encode(0x9F70, [0x0F, 0x00]),
            BerTlv.Encode(0xC5, [0x82, 0xFC, 0x80]),
            BerTlv.Encode(0xC4, SecurityDomainLoadFile),
            BerTlv.Encode(0xCE, [0x01, 0x00]),
            BerTlv.Encode(0xCC, isdAid),
            BerTlv.Encode(0xEA, [0x80, 0x03, 0x00, 0x80, 0x00]));

    // The load file entry, life cycle 01 (LOADED), as in kaoh/globalplatform scp03Test.c, get_status_aes_192.
    private static byte[] LoadFileEntry() =>
        BerTlv.EncodeConstructed(0xE3, BerTlv.Encode(0x4F, SecurityDomainLoadFile), BerTlv.Encode(0x9F70, [0x01]));

    // The first data object must be 4F (AID); others after it (e.g. 5C tag list, B6 token) are ignored.
    private static byte[] SearchAid(byte[] data)
    {
        try
        {
            var nodes = BerTlv.Parse(data, "data");
            if (nodes[0].Tag != 0x4F)
            {
                throw new CardException(StatusWord.IncorrectData, "expected an AID (tag 4F) first");
            }

            return nodes[0].Value.ToArray();
        }
        catch (TlvException)
        {
            throw new CardException(StatusWord.IncorrectData, "command data is not BER-TLV");
        }
    }
}
