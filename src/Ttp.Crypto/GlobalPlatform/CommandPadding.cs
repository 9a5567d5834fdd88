namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The <c>80 00..</c> padding of secure messaging (ISO/IEC 9797-1 padding method 2) before a command data field is
/// encrypted (GlobalPlatform Card Specification 2.3.1, B.2.3; Amendment D v1.1.2, 6.2.6).
/// </summary>
internal static class CommandPadding
{
    /// <summary>The data followed by <c>80</c> and as many <c>00</c> as fill the last block; the caller clears it.</summary>
    /// <exception cref="CryptoInputException">Field <c>data</c> is empty (an empty data field is not encrypted).</exception>
    public static byte[] Pad(ReadOnlySpan<byte> data, int blockSize)
    {
        if (data.IsEmpty)
        {
            throw new CryptoInputException("data", "an empty data field is sent as it is, not encrypted");
        }

        var padded = new byte[((data.Length / blockSize) + 1) * blockSize];
        data.CopyTo(padded);
        padded[data.Length] = 0x80;
        return padded;
    }
}
