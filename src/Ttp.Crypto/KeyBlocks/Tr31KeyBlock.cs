using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// TR-31 / ANSI X9.143 key blocks, versions B (TDES key block protection key) and D (AES KBPK), both with the key
/// derivation binding method (ANSI X9.143:2021 7; TR-31:2018). Versions A and C (variant binding) are refused on
/// input and never produced.
/// </summary>
/// <remarks>
/// Layout (ANSI X9.143:2021 6.1, 6.2): ASCII header (16 characters, then optional blocks) || key data || MAC, the
/// last two in uppercase hex. Key data = key length in bits (2 bytes) || key || padding (ANSI X9.143:2021 7.3.1),
/// encrypted in CBC mode with the KBEK and the MAC as IV. The MAC (8 bytes for B, 16 for D) is the CMAC with the
/// KBAK over the ASCII header and the clear key data. KBEK and KBAK are derived from the KBPK with CMAC
/// (ANSI X9.143:2021 7.2.1 for AES, 7.2.2 for TDES).
/// </remarks>
public static class Tr31KeyBlock
{
    /// <summary>Buffers up to this many bytes or characters live on the stack; longer ones (large optional blocks) are pooled.</summary>
    private const int StackLimit = 1024;

    /// <summary>Key data shorter than this (two TDES blocks, one AES block) cannot hold a length field and a TDES or AES key.</summary>
    private const int MinimumKeyDataLength = 16;

    /// <summary>
    /// Wraps <paramref name="key"/> under <paramref name="kbpk"/> as a version B or D key block
    /// (ANSI X9.143:2021 6 and 7).
    /// </summary>
    /// <remarks>
    /// The key data is padded with random bytes (from <see cref="RandomNumberGenerator"/>) to the length of the
    /// longest key of its algorithm (24 bytes for TDES, 32 for AES) and then to a whole cipher block, so that the block
    /// does not reveal the key length (ANSI X9.143:2021 7.3.1, as in its examples 8.1 and 8.4.2). A <c>PB</c> padding
    /// block is added, last, when the header does not end on a cipher block boundary (ANSI X9.143:2021 6.3.6).
    /// <c>KC</c> and <c>KP</c> blocks in the header, built with <see cref="Tr31OptionalBlock.KeyCheckValueOf"/> and
    /// <see cref="Tr31OptionalBlock.KbpkCheckValueOf"/>, are checked against the keys before wrapping.
    /// Each call derives the KBEK and KBAK anew: to wrap several keys under one KBPK, use <see cref="CreateWrapper"/>.
    /// </remarks>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D.</param>
    /// <param name="header">The header fields; its version selects B or D. Must not contain a <c>PB</c> block.</param>
    /// <param name="key">The key to wrap: TDES (algorithm <c>T</c>, 16/24 bytes) or, in version D only, AES (<c>A</c>, 16/24/32 bytes); not longer than a KBPK of the same algorithm.</param>
    /// <returns>The key block as printable ASCII.</returns>
    /// <exception cref="Tr31Exception">The version, KBPK, header, optional blocks or key are not acceptable.</exception>
    public static string Wrap(ReadOnlySpan<byte> kbpk, Tr31Header header, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(header);
        var plan = Plan(kbpk, header, key, paddingLength: null);
        using var wrapper = new Tr31Wrapper(kbpk, header.Version);
        return WrapPlanned(wrapper, header, key, plan);
    }

    /// <summary>
    /// Creates a <see cref="Tr31Wrapper"/> that wraps any number of keys under <paramref name="kbpk"/> as version
    /// <paramref name="version"/> key blocks, deriving the KBEK and KBAK (ANSI X9.143:2021 7.2) once for all of them
    /// instead of once per block as <see cref="Wrap"/> does. Dispose it when done.
    /// </summary>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D. The wrapper keeps a copy until disposed.</param>
    /// <param name="version"><c>B</c> or <c>D</c>: the version of every block the wrapper makes.</param>
    /// <returns>The wrapper; not thread-safe.</returns>
    /// <exception cref="Tr31Exception">The version is not B or D, or the KBPK length does not fit it.</exception>
    public static Tr31Wrapper CreateWrapper(ReadOnlySpan<byte> kbpk, char version) => new(kbpk, version);

    /// <summary>
    /// <see cref="Wrap"/> with the padding supplied instead of drawn at random, so that published examples can be
    /// reproduced byte for byte. The key data is 2 + key + padding bytes and must be a whole number of cipher blocks.
    /// With <paramref name="verifyCheckValues"/> false, <c>KC</c>/<c>KP</c> blocks are written as given (tests build
    /// mismatching blocks that way).
    /// </summary>
    internal static string WrapWithPadding(
        ReadOnlySpan<byte> kbpk,
        Tr31Header header,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> padding,
        bool verifyCheckValues = true)
    {
        ArgumentNullException.ThrowIfNull(header);
        var plan = Plan(kbpk, header, key, padding.Length);
        using var wrapper = new Tr31Wrapper(kbpk, header.Version);
        return Build(wrapper, header, key, padding, plan, verifyCheckValues);
    }

    /// <summary>
    /// Unwraps a version B or D key block (ANSI X9.143:2021 6 and 7). The header is parsed into typed fields and every
    /// structural check (characters, version, KBPK size, length, header fields, optional blocks and their count, hex)
    /// is made before any cryptography; then KBEK and KBAK are derived, the key data is decrypted (CBC, MAC as IV; the
    /// MAC covers the clear key data, so decryption comes first), the MAC is verified in constant time, the key length
    /// field is checked and, when present, the <c>KC</c> and <c>KP</c> check values are compared in constant time with
    /// the unwrapped key and the KBPK.
    /// </summary>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D.</param>
    /// <param name="block">The key block: printable ASCII, hex fields in uppercase (ANSI X9.143:2021 4).</param>
    /// <returns>The authenticated header and the key; dispose it to zero the key.</returns>
    /// <exception cref="Tr31Exception">A check failed; <see cref="Tr31Exception.Error"/> says which.</exception>
    public static Tr31UnwrapResult Unwrap(ReadOnlySpan<byte> kbpk, string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var parsed = Parse(block, kbpk.Length);
        return Open(kbpk, block, parsed);
    }

    /// <summary>Builds the block <paramref name="plan"/> describes with random padding (ANSI X9.143:2021 7.3.1).</summary>
    internal static string WrapPlanned(Tr31Wrapper wrapper, Tr31Header header, ReadOnlySpan<byte> key, in WrapPlan plan)
    {
        Span<byte> padding = stackalloc byte[plan.PayloadLength - 2 - key.Length];
        Tr31RandomPadding.Fill(padding);
        try
        {
            return Build(wrapper, header, key, padding, plan, verifyCheckValues: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padding);
        }
    }

    /// <summary>A wrapper makes blocks of its own version only.</summary>
    internal static void RequireWrapperVersion(Tr31Wrapper wrapper, char version)
    {
        Tr31Format.RequireSupportedVersion(version);
        if (version != wrapper.Version)
        {
            throw new Tr31Exception(
                Tr31Error.HeaderInvalid, $"the header asks for version {version}, but this wrapper makes version {wrapper.Version} blocks");
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
            RequireUniqueId(blocks, i);
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

    /// <summary>Optional block ids are not repeated (ANSI X9.143:2021 6.3.6).</summary>
    private static void RequireUniqueId(IReadOnlyList<Tr31OptionalBlock> blocks, int index)
    {
        var id = blocks[index].Id;
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(blocks[i].Id, id, StringComparison.Ordinal))
            {
                throw Tr31Format.OptionalBlockInvalid($"optional block {id} appears more than once");
            }
        }
    }

    /// <summary>Writes the block: header, MAC with the KBAK over header and clear key data, key data CBC-encrypted with the KBEK and the MAC as IV.</summary>
    internal static string Build(
        Tr31Wrapper wrapper,
        Tr31Header header,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> padding,
        in WrapPlan plan,
        bool verifyCheckValues)
    {
        if (verifyCheckValues)
        {
            VerifyCheckValues(header, wrapper.Kbpk, key);
        }

        char[]? rentedText = null;
        byte[]? rentedWork = null;
        var text = plan.TotalLength <= StackLimit
            ? stackalloc char[plan.TotalLength]
            : (rentedText = ArrayPool<char>.Shared.Rent(plan.TotalLength)).AsSpan(0, plan.TotalLength);

        // work = ASCII header || clear key data (the MAC input) || encrypted key data
        var macInputLength = plan.HeaderLength + plan.PayloadLength;
        var workLength = macInputLength + plan.PayloadLength;
        var work = workLength <= StackLimit
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

            wrapper.Authenticate(macInput, mac);
            var macValue = mac[..plan.MacLength];
            var encrypted = work.Slice(macInputLength, plan.PayloadLength);
            wrapper.Encrypt(macValue, clear, encrypted);

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

    private static void VerifyCheckValues(Tr31Header header, ReadOnlySpan<byte> kbpk, ReadOnlySpan<byte> key)
    {
        foreach (var block in header.OptionalBlocks)
        {
            switch (block.Id)
            {
                case Tr31OptionalBlock.KeyCheckValueId:
                    Tr31CheckValues.Verify(block, key, header.Algorithm == 'A', Tr31Error.KeyCheckValueMismatch, "key to wrap");
                    break;
                case Tr31OptionalBlock.KbpkCheckValueId:
                    Tr31CheckValues.Verify(block, kbpk, header.Version == 'D', Tr31Error.KbpkCheckValueMismatch, "KBPK");
                    break;
                default:
                    break;
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

    private static ParsedBlock Parse(string block, int kbpkLength)
    {
        if (block.Length == 0)
        {
            throw new Tr31Exception(Tr31Error.LengthMismatch, "the key block is empty");
        }

        for (var i = 0; i < block.Length; i++)
        {
            if (!Tr31Format.IsPrintable(block[i]))
            {
                throw new Tr31Exception(Tr31Error.InvalidCharacters, $"the character at position {i + 1} is not printable ASCII");
            }
        }

        if (block.Length < Tr31Format.FixedHeaderLength)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch, $"the key block has {block.Length} characters, fewer than the {Tr31Format.FixedHeaderLength}-character header");
        }

        var version = block[0];
        Tr31Format.RequireSupportedVersion(version);
        Tr31Format.RequireKbpkLength(version, kbpkLength);

        var lengthField = block.AsSpan(1, 4);
        if (!IsAllDigits(lengthField))
        {
            throw new Tr31Exception(Tr31Error.LengthMismatch, "the length field is not four decimal digits");
        }

        var declaredLength = ParseDecimal(lengthField);
        if (declaredLength != block.Length)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch, $"the length field says {declaredLength} characters but the key block has {block.Length}");
        }

        var blockSize = Tr31Format.BlockSize(version);
        if (block.Length % blockSize != 0)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch, $"the key block length {block.Length} is not a multiple of the cipher block size {blockSize}");
        }

        var macHexLength = 2 * blockSize;
        if (block.Length < Tr31Format.FixedHeaderLength + (2 * MinimumKeyDataLength) + macHexLength)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch, $"the key block has {block.Length} characters, too few for a header, {MinimumKeyDataLength} bytes of key data and a MAC");
        }

        Tr31Format.ValidateFields(
            block.AsSpan(5, 2), block[7], block[8], block.AsSpan(9, 2), block[11], block.AsSpan(14, 2));

        var countField = block.AsSpan(12, 2);
        if (!IsAllDigits(countField))
        {
            throw Tr31Format.OptionalBlockInvalid("the number of optional blocks is not two decimal digits");
        }

        var limit = block.Length - macHexLength;
        var count = ParseDecimal(countField);
        var optionalBlocks = count == 0 ? [] : new List<Tr31OptionalBlock>(count);
        var algorithm = block[7];
        var position = Tr31Format.FixedHeaderLength;
        for (var index = 1; index <= count; index++)
        {
            var optional = ReadOptionalBlock(block, ref position, limit, index, count);
            switch (optional.Id)
            {
                case Tr31OptionalBlock.PaddingId:
                    if (index != count)
                    {
                        throw Tr31Format.OptionalBlockInvalid("the PB padding block must be the last optional block");
                    }

                    continue;
                case Tr31OptionalBlock.KeyCheckValueId:
                    if (algorithm is not ('T' or 'A'))
                    {
                        throw Tr31Format.OptionalBlockInvalid("a KC block can only be checked for TDES (T) or AES (A) keys");
                    }

                    Tr31CheckValues.RequireVerifiable(optional, algorithm == 'A');
                    break;
                case Tr31OptionalBlock.KbpkCheckValueId:
                    Tr31CheckValues.RequireVerifiable(optional, version == 'D');
                    break;
                default:
                    break;
            }

            optionalBlocks.Add(optional);
            RequireUniqueId(optionalBlocks, optionalBlocks.Count - 1);
        }

        var headerLength = position;
        if (headerLength % blockSize != 0)
        {
            throw Tr31Format.OptionalBlockInvalid(
                $"the header ends at {headerLength} characters, not on a {blockSize}-character boundary: the optional block count or the PB block is wrong");
        }

        var keyData = block.AsSpan(headerLength, limit - headerLength);
        if (LooksLikeOptionalBlock(keyData))
        {
            throw Tr31Format.OptionalBlockInvalid($"the header counts {count} optional blocks but another one follows them");
        }

        if (keyData.ContainsAnyExcept(Tr31Format.HexDigits))
        {
            throw new Tr31Exception(Tr31Error.InvalidCharacters, "the encrypted key data is not hexadecimal");
        }

        if (block.AsSpan(limit).ContainsAnyExcept(Tr31Format.HexDigits))
        {
            throw new Tr31Exception(Tr31Error.InvalidCharacters, "the MAC is not hexadecimal");
        }

        if (keyData.Length < 2 * MinimumKeyDataLength || keyData.Length % (2 * blockSize) != 0)
        {
            throw new Tr31Exception(
                Tr31Error.LengthMismatch,
                $"the encrypted key data must be at least {MinimumKeyDataLength} bytes and a whole number of {blockSize}-byte blocks, found {keyData.Length} hex digits");
        }

        var header = new Tr31Header
        {
            Version = version,
            KeyUsage = block.Substring(5, 2),
            Algorithm = algorithm,
            ModeOfUse = block[8],
            KeyVersionNumber = TwoCharacters(block, 9),
            Exportability = block[11],
            KeyContext = TwoCharacters(block, 14),
            OptionalBlocks = optionalBlocks,
        };
        return new ParsedBlock(header, headerLength, blockSize);
    }

    private static Tr31OptionalBlock ReadOptionalBlock(string block, ref int position, int limit, int index, int count)
    {
        if (position + 4 > limit)
        {
            throw Tr31Format.OptionalBlockInvalid($"optional block {index} of {count} runs past the header");
        }

        var id = block.AsSpan(position, 2);
        if (!Tr31Format.IsUpperAlphanumeric(id[0]) || !Tr31Format.IsUpperAlphanumeric(id[1]))
        {
            throw Tr31Format.OptionalBlockInvalid($"the id of optional block {index} is not two uppercase letters or digits");
        }

        if (!TryParseHex(block.AsSpan(position + 2, 2), out var length))
        {
            throw Tr31Format.OptionalBlockInvalid($"the length of optional block {index} is not two hex digits");
        }

        var overhead = 4;
        if (length == 0)
        {
            // Extended length (ANSI X9.143:2021 6.2): 00, the length of the length field in characters (two hex digits),
            // then the length itself; the standard's examples 8.5 and 8.6 write "0004" and four hex digits. The reading
            // of that count as bytes (some implementations write "0002" before four digits) is not the standard's: such
            // a block reads as a two-digit length shorter than its own header and is refused below.
            if (position + 6 > limit
                || !TryParseHex(block.AsSpan(position + 4, 2), out var lengthOfLength)
                || lengthOfLength is < 1 or > 4)
            {
                throw Tr31Format.OptionalBlockInvalid($"the extended length of optional block {index} is malformed");
            }

            overhead = 6 + lengthOfLength;
            if (position + overhead > limit || !TryParseHex(block.AsSpan(position + 6, lengthOfLength), out length))
            {
                throw Tr31Format.OptionalBlockInvalid($"the extended length of optional block {index} is malformed");
            }
        }

        if (length < overhead)
        {
            throw Tr31Format.OptionalBlockInvalid($"the length of optional block {index} does not cover its own id and length");
        }

        if (position + length > limit)
        {
            throw Tr31Format.OptionalBlockInvalid($"optional block {index} of {count} runs past the header");
        }

        var optional = new Tr31OptionalBlock(
            new string(id), block.Substring(position + overhead, length - overhead));
        position += length;
        return optional;
    }

    /// <summary>
    /// True when the key data starts like an optional block (an id that is not hex, then two hex digits of length):
    /// the header counted fewer optional blocks than it holds.
    /// </summary>
    private static bool LooksLikeOptionalBlock(ReadOnlySpan<char> keyData) =>
        keyData.Length >= 4
        && Tr31Format.IsUpperAlphanumeric(keyData[0])
        && Tr31Format.IsUpperAlphanumeric(keyData[1])
        && keyData[..2].ContainsAnyExcept(Tr31Format.HexDigits)
        && !keyData.Slice(2, 2).ContainsAnyExcept(Tr31Format.HexDigits);

    private static Tr31UnwrapResult Open(ReadOnlySpan<byte> kbpk, string block, in ParsedBlock parsed)
    {
        var header = parsed.Header;
        var aes = header.Version == 'D';
        var macLength = parsed.BlockSize;
        var limit = block.Length - (2 * macLength);
        var payloadLength = (limit - parsed.HeaderLength) / 2;

        // work = encrypted key data || ASCII header || clear key data (the last two are the MAC input)
        var workLength = payloadLength + parsed.HeaderLength + payloadLength;
        byte[]? rentedWork = null;
        var work = workLength <= StackLimit
            ? stackalloc byte[workLength]
            : (rentedWork = ArrayPool<byte>.Shared.Rent(workLength)).AsSpan(0, workLength);
        Span<byte> kbek = stackalloc byte[32];
        Span<byte> kbak = stackalloc byte[32];
        Span<byte> receivedMac = stackalloc byte[macLength];
        Span<byte> computedMac = stackalloc byte[BlockCipher.AesBlockSize];
        try
        {
            Convert.FromHexString(block.AsSpan(limit), receivedMac, out _, out _);
            var encrypted = work[..payloadLength];
            Convert.FromHexString(block.AsSpan(parsed.HeaderLength, 2 * payloadLength), encrypted, out _, out _);
            var macInput = work[payloadLength..];
            Encoding.ASCII.GetBytes(block.AsSpan(0, parsed.HeaderLength), macInput);
            var clear = macInput[parsed.HeaderLength..];

            Tr31KeyDerivation.Derive(aes, kbpk, kbek, kbak);
            if (aes)
            {
                BlockCipher.AesCbcDecrypt(kbek[..kbpk.Length], receivedMac, encrypted, clear);
            }
            else
            {
                BlockCipher.TdesCbcDecrypt(kbek[..kbpk.Length], receivedMac, encrypted, clear);
            }

            Cmac(aes, kbak[..kbpk.Length], macInput, computedMac);
            if (!CryptographicOperations.FixedTimeEquals(computedMac[..macLength], receivedMac))
            {
                throw new Tr31Exception(Tr31Error.MacMismatch, "the MAC does not match: wrong KBPK, or the block was altered");
            }

            var keyLength = RequireKeyLength(header.Algorithm, BinaryPrimitives.ReadUInt16BigEndian(clear), payloadLength - 2);
            var key = clear.Slice(2, keyLength).ToArray();
            try
            {
                VerifyCheckValues(header, kbpk, key);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(key);
                throw;
            }

            return new Tr31UnwrapResult(header, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kbek);
            CryptographicOperations.ZeroMemory(kbak);
            CryptographicOperations.ZeroMemory(computedMac);
            CryptographicOperations.ZeroMemory(work);
            if (rentedWork is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedWork);
            }
        }
    }

    /// <summary>Checks the decrypted key length field (ANSI X9.143:2021 7.3.1); returns the key length in bytes.</summary>
    private static int RequireKeyLength(char algorithm, int bits, int available)
    {
        if (bits == 0 || bits % 8 != 0)
        {
            throw new Tr31Exception(Tr31Error.KeyLengthInvalid, "the key length field is zero or not a whole number of bytes");
        }

        var length = bits / 8;
        if (length > available)
        {
            throw new Tr31Exception(Tr31Error.KeyLengthInvalid, "the key length field is longer than the key data");
        }

        var valid = algorithm switch
        {
            'T' => length is 16 or 24,
            'A' => length is 16 or 24 or 32,
            _ => true,
        };
        if (!valid)
        {
            throw new Tr31Exception(
                Tr31Error.KeyLengthInvalid,
                algorithm == 'T' ? "a TDES key must be 16 or 24 bytes" : "an AES key must be 16, 24 or 32 bytes");
        }

        return length;
    }

    private static void Cmac(bool aes, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (aes)
        {
            BlockCipher.AesCmac(key, data, mac);
        }
        else
        {
            BlockCipher.TdesCmac(key, data, mac[..BlockCipher.TdesBlockSize]);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static bool IsAllDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static int ParseDecimal(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static bool TryParseHex(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        return !digits.ContainsAnyExcept(Tr31Format.HexDigits)
            && int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

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

    /// <summary>The two characters at <paramref name="start"/>, sharing the common <c>00</c> instead of allocating it.</summary>
    private static string TwoCharacters(string block, int start) =>
        block.AsSpan(start, 2) is "00" ? "00" : block.Substring(start, 2);

    internal readonly record struct WrapPlan(
        int MacLength, int HeaderLength, int BlockCount, int PadBlockDataLength, int PayloadLength, int TotalLength);

    private readonly record struct ParsedBlock(Tr31Header Header, int HeaderLength, int BlockSize);
}
