namespace Ttp.EndToEnd.Tests;

/// <summary>The test's own authenticator against the published RFC 6238 vectors (Appendix B, SHA-1 key).</summary>
public sealed class TotpTests
{
    // RFC 6238 Appendix B: key "12345678901234567890" (ASCII), SHA-1, 8 digits; the 6-digit codes are the last six.
    private const string RfcKeyBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]          // 94287082
    [InlineData(1111111109L, "081804")]  // 07081804
    [InlineData(1234567890L, "005924")]  // 89005924
    [InlineData(1111111111L, "050471")]  // 14050471
    [InlineData(2000000000L, "279037")]  // 69279037
    [InlineData(20000000000L, "353130")] // 65353130
    public void Code_Rfc6238Vector_MatchesPublishedCode(long unixSeconds, string expected)
    {
        Assert.Equal(expected, Totp.Code(RfcKeyBase32, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }
}
