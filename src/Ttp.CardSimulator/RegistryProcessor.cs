using Ttp.Crypto;

namespace Ttp.CardSimulator;

/// <summary>
/// GET STATUS and DELETE over the simulated card's registry, which holds the Issuer Security Domain and its
/// executable load file only (GlobalPlatform Card Specification 2.3.1, 11.4 and 11.2).
/// </summary>
public static class RegistryProcessor
{
    // The ISD entry of GET STATUS P1 80 P2 02 (tag E3): AID A000000151000000, life cycle 0F00 (SECURED), privileges
    // 82FC80, load file A0000001515350, version 0100, associated SD itself, implicit selection 80 03 008000. Copied from
    // the published answer of a real card in kaoh/globalplatform globalplatform/src/scp03Test.c, get_status_enc_mac.
    private static readonly byte[] IsdEntry = Convert.FromHexString(
        "E3324F08A0000001510000009F70020F00C50382FC80C407A0000001515350CE020100CC08A000000151000000EA058003008000");

    // The executable load file of the ISD for GET STATUS P1 20 P2 02, life cycle 01 (LOADED); the published answer
    // in kaoh/globalplatform globalplatform/src/scp03Test.c, get_status_aes_192.
    private static readonly byte[] LoadFileEntry = Convert.FromHexString("E30D4F07A00000015153509F700101");

    /// <summary>GET STATUS with the TLV format (P2 02); P1 80 (ISD) and 20 (load files) list entries, 40 and 10 find none.</summary>
    public static byte[] GetStatus(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.P2 is not (0x02 or 0x03))
        {
            throw new CardException(StatusWord.IncorrectP1P2, "only the TLV format (P2 02) is supported");
        }

        var (aid, entry) = command.P1 switch
        {
            0x80 => (CardDataEncoder.IsdAid, IsdEntry),
            0x20 => (Convert.FromHexString("A0000001515350"), LoadFileEntry),
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
    public static byte[] Delete(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var aid = SearchAid(command.Data);
        if (aid.Length is < 5 or > 16)
        {
            throw new CardException(StatusWord.IncorrectData, "expected an AID of 5 to 16 bytes");
        }

        if (aid.AsSpan().SequenceEqual(CardDataEncoder.IsdAid))
        {
            throw new CardException(StatusWord.ConditionsNotSatisfied, "the Issuer Security Domain cannot be deleted");
        }

        throw new CardException(StatusWord.ReferencedDataNotFound, "no such application or load file");
    }

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
