using System.Globalization;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// One secure channel protocol a card announces in its Card Recognition Data, from the OID
/// {globalPlatform 4 scp i} (GlobalPlatform Card Specification 2.3.1, annex H): e.g. SCP 03 with option i = 70.
/// </summary>
/// <param name="Protocol">The secure channel protocol identifier, e.g. <c>0x02</c>, <c>0x03</c>, <c>0x11</c>.</param>
/// <param name="Option">The implementation option i, e.g. <c>0x15</c> or <c>0x55</c> for SCP02, <c>0x70</c> for SCP03.</param>
public sealed record CardRecognitionSecureChannel(int Protocol, int Option)
{
    /// <summary>The protocol and option as GlobalPlatform writes them, in hex: <c>SCP03 i=70</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SCP{Protocol:X2} i={Option:X2}");
}
