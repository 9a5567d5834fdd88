using System.Globalization;

namespace Ttp.TsmClient.Card;

/// <summary>A response APDU: its data and status word (ISO/IEC 7816-4).</summary>
internal sealed record ResponseApdu(byte[] Data, ushort Status)
{
    public const ushort Success = 0x9000;

    public bool IsSuccess => Status == Success;

    /// <summary>The status word as four hex digits with what it means, e.g. <c>6A88 (referenced data not found)</c>.</summary>
    public string Describe() => Describe(Status);

    public static string Describe(ushort status) => status.ToString("X4", CultureInfo.InvariantCulture) + (status switch
    {
        0x9000 => " (done)",
        0x6300 => " (authentication failed)",
        0x6700 => " (wrong length)",
        0x6982 => " (security status not satisfied)",
        0x6985 => " (conditions of use not satisfied)",
        0x6A80 => " (incorrect data)",
        0x6A82 => " (application not found)",
        0x6A86 => " (incorrect P1 P2)",
        0x6A88 => " (referenced data not found)",
        0x6D00 => " (instruction not supported)",
        0x6E00 => " (class not supported)",
        _ => string.Empty,
    });

    /// <summary>Splits a response APDU (data || SW1 SW2).</summary>
    /// <exception cref="ProvisionException">Fewer than two bytes.</exception>
    public static ResponseApdu Parse(byte[] response, string step)
    {
        if (response.Length < 2)
        {
            throw new ProvisionException(step, ExitCodes.Card, "the card answered fewer than two bytes (no status word)");
        }

        return new ResponseApdu(response[..^2], (ushort)((response[^2] << 8) | response[^1]));
    }
}
