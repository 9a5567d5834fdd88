namespace Ttp.Portal.Tests.Account;

/// <summary>
/// The tests' own authenticator (<see cref="TestTotp"/>), the oracle every sign-in test relies on, against the published
/// RFC 6238 vectors (Appendix B, SHA-1 key; the 6-digit codes are the last six of the published 8).
/// </summary>
public sealed class TestTotpTests
{
    // RFC 6238 Appendix B: the ASCII key "12345678901234567890", in base32.
    private const string RfcKeyBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]          // 94287082
    [InlineData(1111111109L, "081804")]  // 07081804
    [InlineData(1111111111L, "050471")]  // 14050471
    [InlineData(1234567890L, "005924")]  // 89005924
    [InlineData(2000000000L, "279037")]  // 69279037
    [InlineData(20000000000L, "353130")] // 65353130
    public void Code_Rfc6238Vector_MatchesPublishedCode(long unixSeconds, string expected)
    {
        Assert.Equal(expected, TestTotp.Code(RfcKeyBase32, unixSeconds / 30));
    }
}
