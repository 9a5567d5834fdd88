using System.Security.Cryptography;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// The authenticated header and the clear key of an unwrapped TR-31 / ANSI X9.143 key block. Dispose it as soon as
/// the key has been used: <see cref="Dispose"/> zeroes <see cref="Key"/>.
/// </summary>
public sealed class Tr31UnwrapResult : IDisposable
{
    internal Tr31UnwrapResult(Tr31Header header, byte[] key)
    {
        Header = header;
        Key = key;
    }

    /// <summary>The header, authenticated by the key block MAC (ANSI X9.143:2021 7), without the <c>PB</c> block.</summary>
    public Tr31Header Header { get; }

    /// <summary>The clear key; all zeros after <see cref="Dispose"/>.</summary>
    public byte[] Key { get; }

    /// <summary>Zeroes <see cref="Key"/>.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(Key);
}
