using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// Wraps several keys under one key block protection key (KBPK) as TR-31 / ANSI X9.143 key blocks of one version
/// (B or D), as <see cref="Tr31KeyBlock.Wrap"/> does for one key. The key block encryption and authentication keys
/// (KBEK, KBAK; ANSI X9.143:2021 7.2) are derived once, when the wrapper is created, and the CBC cipher keyed with the
/// KBEK and the CMAC keyed with the KBAK serve every block. Create it with <see cref="Tr31KeyBlock.CreateWrapper"/>;
/// one instance is not thread-safe. Dispose it when the keys are wrapped.
/// </summary>
/// <remarks>
/// The wrapper keeps a copy of the KBPK (for <c>KP</c> check value blocks), zeroed on <see cref="Dispose"/>; the
/// derived keys live only in the keyed BouncyCastle objects, which are released on dispose (see
/// <c>BlockCipher</c> on the key copies BouncyCastle makes).
/// </remarks>
public sealed class Tr31Wrapper : IDisposable
{
    private readonly byte[] _kbpk;
    private IMac? _kbak;
    private CbcBlockCipher? _kbek;

    internal Tr31Wrapper(ReadOnlySpan<byte> kbpk, char version)
    {
        Tr31Format.RequireSupportedVersion(version);
        Tr31Format.RequireKbpkLength(version, kbpk.Length);
        Version = version;
        var aes = version == 'D';

        Span<byte> kbek = stackalloc byte[32];
        Span<byte> kbak = stackalloc byte[32];
        try
        {
            Tr31KeyDerivation.Derive(aes, kbpk, kbek, kbak);
            _kbak = BlockCipher.CreateCmac(aes, kbak[..kbpk.Length]);
            _kbek = BlockCipher.CreateCbc(aes, forEncryption: true, kbek[..kbpk.Length]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kbek);
            CryptographicOperations.ZeroMemory(kbak);
        }

        _kbpk = kbpk.ToArray();
    }

    /// <summary>The key block version of every block this wrapper makes: <c>B</c> (TDES KBPK) or <c>D</c> (AES KBPK).</summary>
    public char Version { get; }

    /// <summary>The KBPK, for <c>KP</c> check values and the wrap-side length checks.</summary>
    internal ReadOnlySpan<byte> Kbpk
    {
        get
        {
            ObjectDisposedException.ThrowIf(_kbek is null, this);
            return _kbpk;
        }
    }

    /// <summary>
    /// Wraps <paramref name="key"/> as a key block of this wrapper's <see cref="Version"/>, with the checks, random
    /// padding and optional block handling of <see cref="Tr31KeyBlock.Wrap"/> (ANSI X9.143:2021 6 and 7).
    /// </summary>
    /// <param name="header">The header fields; its version must be this wrapper's. Must not contain a <c>PB</c> block.</param>
    /// <param name="key">The key to wrap: TDES (algorithm <c>T</c>, 16/24 bytes) or, in version D only, AES (<c>A</c>, 16/24/32 bytes); not longer than a KBPK of the same algorithm.</param>
    /// <returns>The key block as printable ASCII.</returns>
    /// <exception cref="Tr31Exception">
    /// The header's version is not the wrapper's (<see cref="Tr31Error.HeaderInvalid"/>), or the header, optional
    /// blocks or key are not acceptable.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The wrapper was disposed.</exception>
    public string Wrap(Tr31Header header, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(header);
        Tr31KeyBlock.RequireWrapperVersion(this, header.Version);
        var plan = Tr31KeyBlock.Plan(Kbpk, header, key, paddingLength: null);
        return Tr31KeyBlock.WrapPlanned(this, header, key, plan);
    }

    /// <summary>Zeroes the KBPK copy and releases the keyed cipher and MAC.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_kbpk);
        _kbak = null;
        _kbek = null;
    }

    /// <summary>
    /// <see cref="Wrap"/> with the padding supplied, as
    /// <see cref="Tr31KeyBlock.WrapWithPadding(ReadOnlySpan{byte}, Tr31Header, ReadOnlySpan{byte}, ReadOnlySpan{byte}, bool)"/>
    /// (tests reproduce published blocks with it).
    /// </summary>
    internal string WrapWithPadding(Tr31Header header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> padding, bool verifyCheckValues = true)
    {
        ArgumentNullException.ThrowIfNull(header);
        Tr31KeyBlock.RequireWrapperVersion(this, header.Version);
        var plan = Tr31KeyBlock.Plan(Kbpk, header, key, padding.Length);
        return Tr31KeyBlock.Build(this, header, key, padding, plan, verifyCheckValues);
    }

    /// <summary>CMAC with the KBAK over <paramref name="data"/> (header and clear key data); writes one cipher block.</summary>
    internal void Authenticate(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_kbak is null, this);
        BlockCipher.Mac(_kbak, data, mac);
    }

    /// <summary>CBC encryption with the KBEK of the clear key data, the MAC as IV.</summary>
    internal void Encrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> clear, Span<byte> encrypted)
    {
        ObjectDisposedException.ThrowIf(_kbek is null, this);
        BlockCipher.Cbc(_kbek, forEncryption: true, iv, clear, encrypted);
    }
}
