namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// One Key Information Data entry, the value of a <c>C0</c> inside the Key Information Template <c>E0</c>
/// (GlobalPlatform Card Specification 2.3.1, 11.3.3.1; 2.1.1, 9.3.3.1). Two formats exist:
/// <list type="bullet">
/// <item><b>Basic</b>: key identifier, key version number, then one or more (key type, key length) pairs of one
/// byte each, e.g. <c>01 FF 80 10</c> (key 1, KVN FF, DES, 16 bytes).</item>
/// <item><b>Extended</b> (GlobalPlatform 2.2 and later; recognised by a first key type byte of <c>FF</c>): key
/// identifier, key version number, then components each made of a key type (<c>FF xx</c>) and a two-byte key
/// length, then a key usage length (0, 1 or 2) with the key usage, then a key access length (0 or 1) with the key
/// access, e.g. <c>01 20 FF80 0010 01 00 01 00</c>. After the first component a one-byte key type from <c>80</c>
/// to <c>FE</c> is also accepted: a published card template carries the RSA exponent as <c>A0 0003</c> after
/// <c>FFA1 0080</c> (GlobalPlatformPro <c>TestGPKeyInfo</c>). This is unambiguous: a key usage length is at most 2.</item>
/// </list>
/// Anything else (too short, an odd number of pair bytes, a usage or access length out of range, a trailing byte)
/// is rejected. An empty <c>C0</c> is rejected too: it names no key.
/// </summary>
public sealed class KeyInformation
{
    private KeyInformation(byte keyId, byte keyVersionNumber, IReadOnlyList<KeyComponentInfo> components, bool isExtended, IReadOnlyList<byte> usage, byte? access)
    {
        KeyId = keyId;
        KeyVersionNumber = keyVersionNumber;
        Components = components;
        IsExtended = isExtended;
        Usage = usage;
        Access = access;
    }

    /// <summary>The key identifier (e.g. 01 ENC, 02 MAC, 03 DEK of a secure channel key set).</summary>
    public byte KeyId { get; }

    /// <summary>The key version number (KVN) of the key set the key belongs to; <c>FF</c> marks an initial (factory) key set.</summary>
    public byte KeyVersionNumber { get; }

    /// <summary>The (type, length) components, in order; at least one.</summary>
    public IReadOnlyList<KeyComponentInfo> Components { get; }

    /// <summary>Whether the entry uses the extended format (GlobalPlatform Card Specification 2.3.1, 11.3.3.1).</summary>
    public bool IsExtended { get; }

    /// <summary>The key usage bytes of the extended format (one byte, or two in GlobalPlatform 2.3); empty when absent.</summary>
    public IReadOnlyList<byte> Usage { get; }

    /// <summary>The key access byte of the extended format; <see langword="null"/> when absent.</summary>
    public byte? Access { get; }

    /// <summary>The key type of the first component: <c>0x80</c> DES, <c>0x88</c> AES, <c>0xA1</c> RSA, or <c>0xFFxx</c> in the extended format.</summary>
    public int KeyType => Components[0].Type;

    /// <summary>The length in bytes of the first component (16 for a 2-key 3DES key, 32 for AES-256).</summary>
    public int KeyLength => Components[0].Length;

    /// <summary>
    /// Parses the value of one <c>C0</c> Key Information Data object (GlobalPlatform Card Specification 2.3.1,
    /// 11.3.3.1), without its tag and length.
    /// </summary>
    /// <param name="value">The <c>C0</c> value.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The value is neither a basic nor an extended entry.</exception>
    public static KeyInformation Parse(ReadOnlySpan<byte> value, string field = "key-information") => Parse(value, field, 0);

    internal static KeyInformation Parse(ReadOnlySpan<byte> value, string field, int baseOffset)
    {
        if (value.Length < 4)
        {
            throw new TlvException(field, baseOffset, $"key information data of {value.Length} bytes is too short; expected at least 4 (key id, key version, key type, key length)");
        }

        var keyId = value[0];
        var keyVersion = value[1];
        return value[2] == 0xFF
            ? ParseExtended(value, keyId, keyVersion, field, baseOffset)
            : ParseBasic(value, keyId, keyVersion, field, baseOffset);
    }

    private static KeyInformation ParseBasic(ReadOnlySpan<byte> value, byte keyId, byte keyVersion, string field, int baseOffset)
    {
        if ((value.Length - 2) % 2 != 0)
        {
            throw new TlvException(field, baseOffset, $"basic key information data of {value.Length} bytes has an odd number of bytes after key id and key version; expected (key type, key length) pairs");
        }

        var components = new List<KeyComponentInfo>();
        for (var position = 2; position < value.Length; position += 2)
        {
            if (value[position] == 0xFF)
            {
                throw new TlvException(field, baseOffset + position, "extended key type FF after a basic (one-byte) key type; an entry uses one format");
            }

            components.Add(new KeyComponentInfo(value[position], value[position + 1]));
        }

        return new KeyInformation(keyId, keyVersion, components.AsReadOnly(), isExtended: false, [], access: null);
    }

    private static KeyInformation ParseExtended(ReadOnlySpan<byte> value, byte keyId, byte keyVersion, string field, int baseOffset)
    {
        var components = new List<KeyComponentInfo>();
        var position = 2;
        while (position < value.Length && value[position] >= 0x80)
        {
            var extendedType = value[position] == 0xFF;
            var componentSize = extendedType ? 4 : 3;
            if (value.Length - position < componentSize)
            {
                throw new TlvException(field, baseOffset + position, $"extended key component is truncated: expected {componentSize} bytes (key type, 2-byte key length), found {value.Length - position}");
            }

            var type = extendedType ? 0xFF00 | value[position + 1] : value[position];
            var lengthAt = position + componentSize - 2;
            components.Add(new KeyComponentInfo(type, (value[lengthAt] << 8) | value[lengthAt + 1]));
            position += componentSize;
        }

        if (position == value.Length)
        {
            throw new TlvException(field, baseOffset + position, "extended key information data ends without its key usage length and key access length");
        }

        var usageLength = value[position];
        if (usageLength > 2)
        {
            throw new TlvException(field, baseOffset + position, $"key usage length {usageLength} is out of range; expected 0, 1 or 2");
        }

        position++;
        if (value.Length - position < usageLength + 1)
        {
            throw new TlvException(field, baseOffset + position, "extended key information data ends inside the key usage or before the key access length");
        }

        var usage = value.Slice(position, usageLength).ToArray();
        position += usageLength;

        var accessLength = value[position];
        if (accessLength > 1)
        {
            throw new TlvException(field, baseOffset + position, $"key access length {accessLength} is out of range; expected 0 or 1");
        }

        position++;
        if (value.Length - position < accessLength)
        {
            throw new TlvException(field, baseOffset + position, "extended key information data ends before the key access byte");
        }

        byte? access = accessLength == 1 ? value[position] : null;
        position += accessLength;
        if (position != value.Length)
        {
            throw new TlvException(field, baseOffset + position, $"{value.Length - position} unexpected byte(s) after the key access of extended key information data");
        }

        return new KeyInformation(keyId, keyVersion, components.AsReadOnly(), isExtended: true, Array.AsReadOnly(usage), access);
    }
}
