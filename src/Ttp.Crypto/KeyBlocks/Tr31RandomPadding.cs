using System.Security.Cryptography;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// Random padding for key data (ANSI X9.143:2021 7.3.1). Each call to <see cref="RandomNumberGenerator.Fill"/> costs
/// about as much as a whole key block, so random bytes are drawn a kilobyte at a time per thread and handed out once
/// each; handed-out bytes are zeroed in the buffer.
/// </summary>
internal static class Tr31RandomPadding
{
    private const int BufferSize = 1024;

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _available;

    internal static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        var buffer = _buffer ??= new byte[BufferSize];
        if (_available < destination.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            _available = BufferSize;
        }

        var chunk = buffer.AsSpan(BufferSize - _available, destination.Length);
        chunk.CopyTo(destination);
        CryptographicOperations.ZeroMemory(chunk);
        _available -= destination.Length;
    }
}
