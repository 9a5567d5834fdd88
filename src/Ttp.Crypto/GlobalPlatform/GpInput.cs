using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>Length checks shared by the GlobalPlatform algorithms; messages name lengths, never values.</summary>
internal static class GpInput
{
    public static void RequireLength(ReadOnlySpan<byte> value, int expected, string field, string what)
    {
        if (value.Length != expected)
        {
            throw new CryptoInputException(field, $"expected {what} of {expected} bytes, found {value.Length} bytes");
        }
    }

    public static void RequireAesKey(ReadOnlySpan<byte> key, string field)
    {
        if (!BlockCipher.IsAesKeyLength(key.Length))
        {
            throw new CryptoInputException(field, $"expected an AES key of 16, 24 or 32 bytes, found {key.Length} bytes");
        }
    }

    public static void RequireTdesKey(ReadOnlySpan<byte> key, string field)
    {
        if (!BlockCipher.IsTdesKeyLength(key.Length))
        {
            throw new CryptoInputException(field, $"expected a TDES key of 16 or 24 bytes, found {key.Length} bytes");
        }
    }

    public static void RequireTwoKeyTdes(ReadOnlySpan<byte> key, string field) =>
        RequireLength(key, 16, field, "a 2-key TDES key");
}
