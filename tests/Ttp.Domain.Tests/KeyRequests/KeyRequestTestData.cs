using Ttp.Crypto;
using Ttp.Domain.KeyRequests;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>Published master keys, KDDs and Key Information Templates of the key-request tests.</summary>
internal static class KeyRequestTestData
{
    public const string Iin = "A0000001";

    // GlobalPlatform default test key 40..4F, and its 24- and 32-byte extensions 40..57, 40..5F: the master keys of the
    // published vectors (see tests/Ttp.Crypto.Tests/GlobalPlatform/KeyDiversificationTests.cs for their sources).
    public const string Master16 = "404142434445464748494A4B4C4D4E4F";
    public const string Master24 = "404142434445464748494A4B4C4D4E4F5051525354555657";
    public const string Master32 = "404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F";

    // The KDDs of the published vectors.
    public const string KddOpenJavaCard = "0102030405060708090A";
    public const string KddGpPro = "00010203040506070809";

    // KEKs of the test TSMs (test values, not from a source).
    public const string Tdes2Kek = "0123456789ABCDEFFEDCBA9876543210";
    public const string Tdes3Kek = "0123456789ABCDEFFEDCBA987654321089ABCDEF01234567";
    public const string Aes128Kek = "000102030405060708090A0B0C0D0E0F";
    public const string Aes256Kek = "101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F";

    /// <summary>docs/GLOBALPLATFORM.md: key ids 1..3, KVN FF, DES 16 bytes.</summary>
    public const string E0BasicDes = "E012C00401FF8010C00402FF8010C00403FF8010";

    /// <summary>docs/GLOBALPLATFORM.md: the real AES-256 card, KVN 01.</summary>
    public const string E0Aes256 = "E012C00401018820C00402018820C00403018820";

    /// <summary>A basic E0 for key ids 1..3 of <paramref name="kvn"/>, type <paramref name="type"/>, <paramref name="length"/> bytes.</summary>
    public static string E0(int kvn, int type, int length) => Hex.Encode(BerTlv.EncodeConstructed(0xE0,
        BerTlv.Encode(0xC0, [1, (byte)kvn, (byte)type, (byte)length]),
        BerTlv.Encode(0xC0, [2, (byte)kvn, (byte)type, (byte)length]),
        BerTlv.Encode(0xC0, [3, (byte)kvn, (byte)type, (byte)length])));

    public static KeyRequest Request(string kdd, string e0, int? kekIndex = 1, int? kvn = null, string iin = Iin) =>
        new(null, kdd, e0, null, iin, null, kvn, kekIndex);
}
