namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// One (key type, key length) component of a Key Information Data entry (GlobalPlatform Card Specification 2.3.1,
/// 11.3.3.1; key type coding 11.1.8).
/// </summary>
/// <param name="Type">
/// The key type: one byte in the basic format (<c>0x80</c> DES, <c>0x88</c> AES, <c>0xA1</c>/<c>0xA0</c> RSA public
/// modulus/exponent), or <c>0xFFxx</c> for an extended-format type written as <c>FF</c> followed by the type byte.
/// </param>
/// <param name="Length">The key (component) length in bytes: one byte in the basic format, two bytes in the extended format.</param>
public sealed record KeyComponentInfo(int Type, int Length)
{
    /// <summary>Whether <see cref="Type"/> was written in the extended two-byte form <c>FF xx</c>.</summary>
    public bool IsExtendedType => Type > 0xFF;

    /// <summary>The name of <see cref="Type"/> (GlobalPlatform Card Specification 2.3.1, 11.1.8 Key Type Coding).</summary>
    public string TypeName => DescribeType(Type);

    /// <summary>
    /// Names a key type byte (GlobalPlatform Card Specification 2.3.1, 11.1.8); an extended type <c>FFxx</c> is named
    /// after its second byte.
    /// </summary>
    /// <param name="type">A key type byte, or <c>0xFFxx</c>.</param>
    public static string DescribeType(int type) =>
        (type > 0xFF ? type & 0xFF : type) switch
        {
            < 0x80 => "private use",
            0x80 => "DES (3DES, mode implicitly known)",
            0x81 => "reserved (Triple DES)",
            0x82 => "Triple DES in CBC mode",
            0x83 => "DES in ECB mode",
            0x84 => "DES in CBC mode",
            0x85 => "TLS pre-shared key",
            0x88 => "AES",
            0x90 => "HMAC-SHA1",
            0x91 => "HMAC-SHA1-160",
            0xA0 => "RSA public key, exponent e",
            0xA1 => "RSA public key, modulus N",
            0xA2 => "RSA private key, modulus N",
            0xA3 => "RSA private key, exponent d",
            0xA4 => "RSA private key, CRT P",
            0xA5 => "RSA private key, CRT Q",
            0xA6 => "RSA private key, CRT PQ",
            0xA7 => "RSA private key, CRT DP1",
            0xA8 => "RSA private key, CRT DQ1",
            0xFF => "extended format",
            _ => "reserved for future use",
        };
}
