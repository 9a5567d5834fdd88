using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// Wraps several keys under one key block protection key (KBPK) as TR-31 / ANSI X9.143 key blocks of one version
/// (B or D), as <see cref="Tr31KeyBlock.Wrap"/> does for one key: the writing direction of TR-31 (plan and checks,
/// header, MAC and encryption, block text), all here; reading is <see cref="Tr31Reader"/>'s. The key block encryption and authentication keys
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
    private byte[]? _kbpkLegacyCheckValue;
    private byte[]? _kbpkCmacCheckValue;
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

    // The KBPK's check values (legacy, CMAC-based), computed when first needed: a TDES key schedule each.
    private byte[] KbpkCheckValue(bool cmac) => cmac
        ? _kbpkCmacCheckValue ??= Tr31CheckValues.Compute(Kbpk, cmac: true, aes: Version == 'D')
        : _kbpkLegacyCheckValue ??= Tr31CheckValues.Compute(Kbpk, cmac: false, aes: Version == 'D');

    /// <summary>The key block version of every block this wrapper makes: <c>B</c> (TDES KBPK) or <c>D</c> (AES KBPK).</summary>
    public char Version { get; }

    /// <summary>
    /// The <c>KP</c> block of this wrapper's KBPK (<see cref="Tr31OptionalBlock.KbpkCheckValueOf"/>: legacy for version
    /// B, CMAC-based for version D), computed once for every block the wrapper makes.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The wrapper was disposed.</exception>
    public Tr31OptionalBlock KbpkCheckValueBlock()
    {
        ObjectDisposedException.ThrowIf(_kbek is null, this);
        var cmac = Version == 'D';
        return new Tr31OptionalBlock(Tr31OptionalBlock.KbpkCheckValueId, Tr31CheckValues.FormatComputed(KbpkCheckValue(cmac), cmac));
    }

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
    public string Wrap(Tr31Header header, ReadOnlySpan<byte> key) => Wrap(header, key, keyCheckValueComputedFromKey: false);

    /// <summary>
    /// <see cref="Wrap(Tr31Header, ReadOnlySpan{byte})"/>, where the caller vouches that the header's <c>KC</c> block,
    /// if any, was computed from <paramref name="key"/> itself in the same call (for example with
    /// <see cref="Tr31OptionalBlock.KeyCheckValueOf"/>): it is then checked for form but not computed a second time (a
    /// TDES key schedule per block). The <c>KP</c> block is checked as always.
    /// </summary>
    /// <param name="header">As for <see cref="Wrap(Tr31Header, ReadOnlySpan{byte})"/>.</param>
    /// <param name="key">As for <see cref="Wrap(Tr31Header, ReadOnlySpan{byte})"/>.</param>
    /// <param name="keyCheckValueComputedFromKey">True when the <c>KC</c> block was computed from <paramref name="key"/> by the caller.</param>
    /// <returns>The key block as printable ASCII.</returns>
    public string Wrap(Tr31Header header, ReadOnlySpan<byte> key, bool keyCheckValueComputedFromKey)
    {
        ArgumentNullException.ThrowIfNull(header);
        RequireVersion(header.Version);
        var plan = Plan(Kbpk, header, key, paddingLength: null);
        return WrapPlanned(header, key, plan, keyCheckValueComputedFromKey ? CheckValueVerification.KbpkOnly : CheckValueVerification.All);
    }

    /// <summary>Zeroes the KBPK copy and releases the keyed cipher and MAC.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_kbpk);
        _kbak = null;
        _kbek = null;
    }

    /// <summary>
    /// <see cref="Wrap(Tr31Header, ReadOnlySpan{byte})"/> with the padding supplied, as
    /// <see cref="Tr31KeyBlock.WrapWithPadding(ReadOnlySpan{byte}, Tr31Header, ReadOnlySpan{byte}, ReadOnlySpan{byte}, bool)"/>
    /// (tests reproduce published blocks with it).
    /// </summary>
    internal string WrapWithPadding(Tr31Header header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> padding, bool verifyCheckValues = true)
    {
        ArgumentNullException.ThrowIfNull(header);
        RequireVersion(header.Version);
        var plan = Plan(Kbpk, header, key, padding.Length);
        return Build(header, key, padding, plan, verifyCheckValues ? CheckValueVerification.All : CheckValueVerification.None);
    }

    /// <summary>CMAC with the KBAK over <paramref name="data"/> (header and clear key data); writes one cipher block.</summary>
    private void Authenticate(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_kbak is null, this);
        BlockCipher.Mac(_kbak, data, mac);
    }

    /// <summary>CBC encryption with the KBEK of the clear key data, the MAC as IV.</summary>
    private void Encrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> clear, Span<byte> encrypted)
    {
        ObjectDisposedException.ThrowIf(_kbek is null, this);
        BlockCipher.Cbc(_kbek, forEncryption: true, iv, clear, encrypted);
    }

    /// <summary>Builds the block <paramref name="plan"/> describes with random padding (ANSI X9.143:2021 7.3.1).</summary>
    internal string WrapPlanned(Tr31Header header, ReadOnlySpan<byte> key, in WrapPlan plan, CheckValueVerification verification = CheckValueVerification.All)
    {
        Span<byte> padding = stackalloc byte[plan.PayloadLength - 2 - key.Length];
        Tr31RandomPadding.Fill(padding);
        try
        {
            return Build(header, key, padding, plan, verification);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padding);
        }
    }

    /// <summary>A wrapper makes blocks of its own version only.</summary>
    private void RequireVersion(char version)
    {
        Tr31Format.RequireSupportedVersion(version);
        if (version != Version)
        {
            throw new Tr31Exception(
                Tr31Error.HeaderInvalid, $"the header asks for version {version}, but this wrapper makes version {Version} blocks");
        }
    }

    /// <summary>Every wrap-side check of the header, the KBPK length and the key, before any cryptography; returns the layout.</summary>
    internal static WrapPlan Plan(ReadOnlySpan<byte> kbpk, Tr31Header header, ReadOnlySpan<byte> key, int? paddingLength)
    {
        Tr31Format.RequireSupportedVersion(header.Version);
        Tr31Format.ValidateFields(
            header.KeyUsage, header.Algorithm, header.ModeOfUse, header.KeyVersionNumber, header.Exportability, header.KeyContext);
        Tr31Format.RequireKbpkLength(header.Version, kbpk.Length);
        var aesKbpk = header.Version == 'D';
        var maskedKeyLength = RequireWrappableKey(header.Algorithm, aesKbpk, kbpk.Length, key.Length);

        var blockSize = Tr31Format.BlockSize(header.Version);
        var blocks = header.OptionalBlocks
            ?? throw Tr31Format.OptionalBlockInvalid("the optional block list is missing (null)");
        var headerLength = Tr31Format.FixedHeaderLength;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            ValidateForWrap(block);
            Tr31Format.RequireUniqueId(blocks, i);
            switch (block.Id)
            {
                case Tr31OptionalBlock.KeyCheckValueId:
                    Tr31CheckValues.RequireVerifiable(block, header.Algorithm == 'A');
                    break;
                case Tr31OptionalBlock.KbpkCheckValueId:
                    Tr31CheckValues.RequireVerifiable(block, aesKbpk);
                    break;
                default:
                    break;
            }

            headerLength += Tr31Format.EncodedLength(block.Data.Length);
        }

        var count = blocks.Count;
        var padBlockDataLength = -1;
        if (headerLength % blockSize != 0)
        {
            padBlockDataLength = (blockSize - ((headerLength + 4) % blockSize)) % blockSize;
            headerLength += 4 + padBlockDataLength;
            count++;
        }

        if (count > Tr31Format.MaximumOptionalBlocks)
        {
            throw Tr31Format.OptionalBlockInvalid($"a header holds at most {Tr31Format.MaximumOptionalBlocks} optional blocks, the padding block included");
        }

        int payloadLength;
        if (paddingLength is { } supplied)
        {
            payloadLength = 2 + key.Length + supplied;
            if (payloadLength % blockSize != 0)
            {
                throw new ArgumentException("The padding must make the key data a whole number of cipher blocks.", nameof(paddingLength));
            }
        }
        else
        {
            payloadLength = RoundUp(2 + maskedKeyLength, blockSize);
        }

        var macLength = blockSize;
        var totalLength = headerLength + (2 * payloadLength) + (2 * macLength);
        if (totalLength > Tr31Format.MaximumBlockLength)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch, $"the key block would be {totalLength} characters, more than the {Tr31Format.MaximumBlockLength} its length field can hold");
        }

        return new WrapPlan(macLength, headerLength, count, padBlockDataLength, payloadLength, totalLength);
    }

    /// <summary>Checks the key against the header algorithm and the KBPK; returns the length the key data is padded to hide.</summary>
    private static int RequireWrappableKey(char algorithm, bool aesKbpk, int kbpkLength, int keyLength)
    {
        switch (algorithm)
        {
            case 'T':
                if (keyLength is not (16 or 24))
                {
                    throw new Tr31Exception(Tr31Error.KeyLengthInvalid, $"a TDES key must be 16 or 24 bytes, found {keyLength} bytes");
                }

                if (!aesKbpk && keyLength > kbpkLength)
                {
                    throw new Tr31Exception(Tr31Error.KbpkLengthInvalid, $"a {kbpkLength}-byte TDES KBPK cannot protect a {keyLength}-byte TDES key");
                }

                return 24;
            case 'A':
                if (!aesKbpk)
                {
                    throw new Tr31Exception(Tr31Error.HeaderInvalid, "version B (TDES KBPK) cannot protect an AES key; use version D");
                }

                if (keyLength is not (16 or 24 or 32))
                {
                    throw new Tr31Exception(Tr31Error.KeyLengthInvalid, $"an AES key must be 16, 24 or 32 bytes, found {keyLength} bytes");
                }

                if (keyLength > kbpkLength)
                {
                    throw new Tr31Exception(Tr31Error.KbpkLengthInvalid, $"a {kbpkLength}-byte AES KBPK cannot protect a {keyLength}-byte AES key");
                }

                return 32;
            default:
                throw new Tr31Exception(Tr31Error.HeaderInvalid, "wrap supports TDES (T) and AES (A) keys only");
        }
    }

    private static void ValidateForWrap(Tr31OptionalBlock? block)
    {
        if (block is null)
        {
            throw Tr31Format.OptionalBlockInvalid("an optional block is missing (null)");
        }

        if (block.Id is not { Length: 2 } id || !Tr31Format.IsUpperAlphanumeric(id[0]) || !Tr31Format.IsUpperAlphanumeric(id[1]))
        {
            throw Tr31Format.OptionalBlockInvalid("an optional block id must be two uppercase letters or digits");
        }

        if (id == Tr31OptionalBlock.PaddingId)
        {
            throw Tr31Format.OptionalBlockInvalid("the PB padding block is added by wrap; do not supply it");
        }

        if (block.Data is null)
        {
            throw Tr31Format.OptionalBlockInvalid($"optional block {id} has no data");
        }

        foreach (var c in block.Data)
        {
            if (!Tr31Format.IsPrintable(c))
            {
                throw Tr31Format.OptionalBlockInvalid($"optional block {id} data must be printable ASCII");
            }
        }

        if (block.Data.Length > Tr31Format.MaximumBlockLength)
        {
            throw Tr31Format.OptionalBlockInvalid($"optional block {id} is longer than a key block can be");
        }
    }

    /// <summary>Writes the block: header, MAC with the KBAK over header and clear key data, key data CBC-encrypted with the KBEK and the MAC as IV.</summary>
    private string Build(
        Tr31Header header,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> padding,
        in WrapPlan plan,
        CheckValueVerification verification)
    {
        if (verification != CheckValueVerification.None)
        {
            Tr31CheckValues.VerifyHeader(header, Kbpk, verification == CheckValueVerification.All ? key : default, KbpkCheckValue, verifyKey: verification == CheckValueVerification.All);
        }

        char[]? rentedText = null;
        byte[]? rentedWork = null;
        var text = plan.TotalLength <= Tr31Format.StackLimit
            ? stackalloc char[plan.TotalLength]
            : (rentedText = ArrayPool<char>.Shared.Rent(plan.TotalLength)).AsSpan(0, plan.TotalLength);

        // work = ASCII header || clear key data (the MAC input) || encrypted key data
        var macInputLength = plan.HeaderLength + plan.PayloadLength;
        var workLength = macInputLength + plan.PayloadLength;
        var work = workLength <= Tr31Format.StackLimit
            ? stackalloc byte[workLength]
            : (rentedWork = ArrayPool<byte>.Shared.Rent(workLength)).AsSpan(0, workLength);
        Span<byte> mac = stackalloc byte[BlockCipher.AesBlockSize];
        try
        {
            WriteHeader(text, header, plan);
            var macInput = work[..macInputLength];
            Encoding.ASCII.GetBytes(text[..plan.HeaderLength], macInput);
            var clear = macInput[plan.HeaderLength..];
            BinaryPrimitives.WriteUInt16BigEndian(clear, (ushort)(key.Length * 8));
            key.CopyTo(clear[2..]);
            padding.CopyTo(clear[(2 + key.Length)..]);

            Authenticate(macInput, mac);
            var macValue = mac[..plan.MacLength];
            var encrypted = work.Slice(macInputLength, plan.PayloadLength);
            Encrypt(macValue, clear, encrypted);

            var hex = text[plan.HeaderLength..];
            Convert.TryToHexString(encrypted, hex, out var written);
            Convert.TryToHexString(macValue, hex[written..], out _);
            return new string(text);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mac);
            CryptographicOperations.ZeroMemory(work);
            if (rentedWork is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedWork);
            }

            if (rentedText is not null)
            {
                ArrayPool<char>.Shared.Return(rentedText);
            }
        }
    }

    private static void WriteHeader(Span<char> text, Tr31Header header, in WrapPlan plan)
    {
        text[0] = header.Version;
        WriteDecimal(text.Slice(1, 4), plan.TotalLength);
        text[5] = header.KeyUsage[0];
        text[6] = header.KeyUsage[1];
        text[7] = header.Algorithm;
        text[8] = header.ModeOfUse;
        text[9] = header.KeyVersionNumber[0];
        text[10] = header.KeyVersionNumber[1];
        text[11] = header.Exportability;
        WriteDecimal(text.Slice(12, 2), plan.BlockCount);
        text[14] = header.KeyContext[0];
        text[15] = header.KeyContext[1];

        var position = Tr31Format.FixedHeaderLength;
        foreach (var block in header.OptionalBlocks)
        {
            block.Id.CopyTo(text[position..]);
            position += 2;
            var encodedLength = Tr31Format.EncodedLength(block.Data.Length);
            if (encodedLength <= Tr31Format.MaximumShortBlockLength)
            {
                WriteHex(text.Slice(position, 2), encodedLength);
                position += 2;
            }
            else
            {
                // Extended length (ANSI X9.143:2021 6.2): 00, then the length of the length field in characters (04),
                // then the length in 4 hex digits, as the standard's examples 8.5 and 8.6 encode it.
                "0004".CopyTo(text[position..]);
                WriteHex(text.Slice(position + 4, 4), encodedLength);
                position += 8;
            }

            block.Data.CopyTo(text[position..]);
            position += block.Data.Length;
        }

        if (plan.PadBlockDataLength >= 0)
        {
            Tr31OptionalBlock.PaddingId.CopyTo(text[position..]);
            WriteHex(text.Slice(position + 2, 2), 4 + plan.PadBlockDataLength);
            position += 4;
            text.Slice(position, plan.PadBlockDataLength).Fill('0');
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void WriteDecimal(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteHex(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = "0123456789ABCDEF"[value & 0xF];
            value >>= 4;
        }
    }

    /// <summary>Which <c>KC</c>/<c>KP</c> blocks a wrap computes again and compares (their form is always checked by <see cref="Plan"/>).</summary>
    internal enum CheckValueVerification
    {
        /// <summary>Both (<see cref="Wrap(Tr31Header, ReadOnlySpan{byte})"/>).</summary>
        All,

        /// <summary>The KBPK's only: the caller computed <c>KC</c> from the key.</summary>
        KbpkOnly,

        /// <summary>Neither (tests that build mismatching blocks).</summary>
        None,
    }

    internal readonly record struct WrapPlan(
        int MacLength, int HeaderLength, int BlockCount, int PadBlockDataLength, int PayloadLength, int TotalLength);
}
