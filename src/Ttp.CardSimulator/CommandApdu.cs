namespace Ttp.CardSimulator;

/// <summary>
/// A short command APDU (ISO/IEC 7816-4, 5.1: cases 1 to 4, Lc and Le of one byte). Extended lengths are not
/// supported and answered as wrong length.
/// </summary>
public sealed class CommandApdu
{
    private CommandApdu(byte cla, byte ins, byte p1, byte p2, byte[] data, bool hasLe)
    {
        Cla = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        Data = data;
        HasLe = hasLe;
    }

    public byte Cla { get; }

    public byte Ins { get; }

    public byte P1 { get; }

    public byte P2 { get; }

    /// <summary>The data field (empty in cases 1 and 2).</summary>
    public byte[] Data { get; }

    /// <summary>Whether the command ends with Le (cases 2 and 4).</summary>
    public bool HasLe { get; }

    /// <summary>Whether CLA announces GlobalPlatform secure messaging (bit 3 set, e.g. <c>84</c>).</summary>
    public bool IsSecured => (Cla & 0x04) != 0;

    /// <summary>Parses a command APDU; a structure that is no short APDU is <see cref="StatusWord.WrongLength"/>.</summary>
    public static CommandApdu Parse(ReadOnlySpan<byte> apdu)
    {
        if (apdu.Length < 4)
        {
            throw new CardException(StatusWord.WrongLength, "an APDU has at least 4 header bytes");
        }

        if (apdu.Length == 4)
        {
            return new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], [], hasLe: false);
        }

        if (apdu.Length == 5)
        {
            return new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], [], hasLe: true);
        }

        var lc = apdu[4];
        if (lc == 0 || (apdu.Length != 5 + lc && apdu.Length != 6 + lc))
        {
            throw new CardException(StatusWord.WrongLength, "Lc does not match the length of the data field");
        }

        return new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], apdu.Slice(5, lc).ToArray(), hasLe: apdu.Length == 6 + lc);
    }

    /// <summary>The same command with another class byte and data field (after secure messaging is removed).</summary>
    public CommandApdu With(byte cla, byte[] data) => new(cla, Ins, P1, P2, data, HasLe);
}
