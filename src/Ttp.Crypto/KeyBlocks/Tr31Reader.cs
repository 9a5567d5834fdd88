using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// The reading direction of TR-31 / ANSI X9.143 key blocks (versions B and D, key derivation binding): parses a block
/// into its typed header with every structural check, then opens it under the KBPK. <see cref="Tr31KeyBlock.Unwrap"/>
/// is its public entry; the writing direction is <see cref="Tr31Wrapper"/>'s.
/// </summary>
internal static class Tr31Reader
{
    /// <summary>Key data shorter than this (two TDES blocks, one AES block) cannot hold a length field and a TDES or AES key.</summary>
    private const int MinimumKeyDataLength = 16;

    /// <summary>Parses, then opens <paramref name="block"/> under <paramref name="kbpk"/> (see <see cref="Tr31KeyBlock.Unwrap"/>).</summary>
    public static Tr31UnwrapResult Read(ReadOnlySpan<byte> kbpk, string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var parsed = Parse(block, kbpk.Length);
        return Open(kbpk, block, parsed);
    }

    /// <summary>Every structural check of <paramref name="block"/> (see <see cref="Tr31KeyBlock.Unwrap"/>), before any cryptography; returns the typed header and the layout.</summary>
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
            Tr31Format.RequireUniqueId(optionalBlocks, optionalBlocks.Count - 1);
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

    /// <summary>Derives KBEK and KBAK, decrypts the key data, verifies the MAC, the key length and the check values.</summary>
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
        var work = workLength <= Tr31Format.StackLimit
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
                Tr31CheckValues.VerifyHeader(header, kbpk, key);
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

    /// <summary>The two characters at <paramref name="start"/>, sharing the common <c>00</c> instead of allocating it.</summary>
    private static string TwoCharacters(string block, int start) =>
        block.AsSpan(start, 2) is "00" ? "00" : block.Substring(start, 2);

    private readonly record struct ParsedBlock(Tr31Header Header, int HeaderLength, int BlockSize);
}
