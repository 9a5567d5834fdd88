using Ttp.Crypto;

namespace Ttp.Domain.IssuerKeys;

/// <summary>The facts of a <see cref="SecureChannelScheme"/>: its name, the strength and the check value of its card keys.</summary>
public static class SecureChannelSchemes
{
    /// <summary>The scheme's name as key requests and audit records spell it: <c>SCP02</c> or <c>SCP03</c>.</summary>
    public static string Name(this SecureChannelScheme scheme) => scheme switch
    {
        SecureChannelScheme.Scp02 => "SCP02",
        SecureChannelScheme.Scp03 => "SCP03",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown secure channel scheme."),
    };

    /// <summary>
    /// The effective strength in bits of the scheme's card keys of <paramref name="keyLength"/> bytes (NIST SP 800-57
    /// part 1): SCP02 (2-key TDES) 80, SCP03 the AES key length.
    /// </summary>
    public static int StrengthOf(this SecureChannelScheme scheme, int keyLength) => scheme switch
    {
        SecureChannelScheme.Scp02 => 80,
        SecureChannelScheme.Scp03 => keyLength * 8,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown secure channel scheme."),
    };

    /// <summary>The check value of a key of <paramref name="scheme"/>: DES (SCP02) or AES GlobalPlatform (SCP03), 3 bytes.</summary>
    public static byte[] CheckValue(this SecureChannelScheme scheme, ReadOnlySpan<byte> key) =>
        scheme == SecureChannelScheme.Scp02 ? KeyCheckValue.Des(key) : KeyCheckValue.AesGlobalPlatform(key);
}
