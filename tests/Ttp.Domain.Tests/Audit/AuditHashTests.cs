using System.Security.Cryptography;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditHashTests
{
    private static AuditEvent Sample() => new()
    {
        Sequence = 258,
        OccurredAt = DateTimeOffset.UnixEpoch.AddTicks(10 * 0x0102030405L),
        Stream = AuditStream.KeyRequest,
        Action = "ab",
        Actor = "tsm:x",
        Subject = "é",
        Outcome = "ok",
        Details = "{}",
    };

    [Fact]
    public void GetCanonicalBytes_SampleRecord_IsTheDocumentedLayout()
    {
        byte[] expected =
        [
            0x01,                                           // version
            0, 0, 0, 0, 0, 0, 0x01, 0x02,                   // sequence 258
            0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05,          // microseconds since the epoch
            0, 0, 0, 0x02,                                  // stream KeyRequest
            0, 0, 0, 2, (byte)'a', (byte)'b',               // action
            0, 0, 0, 5, (byte)'t', (byte)'s', (byte)'m', (byte)':', (byte)'x', // actor
            0, 0, 0, 2, 0xC3, 0xA9,                         // subject "é" in UTF-8
            0, 0, 0, 2, (byte)'o', (byte)'k',               // outcome
            0, 0, 0, 2, (byte)'{', (byte)'}',               // details
        ];

        Assert.Equal(expected, AuditHash.GetCanonicalBytes(Sample()));
    }

    [Fact]
    public void Compute_SampleRecord_IsHmacSha256OfPreviousHashAndCanonicalForm()
    {
        using var key = AuditTestSupport.NewKey();
        var previous = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var hash = AuditHash.Compute(key, previous, Sample());

        Assert.Equal(HMACSHA256.HashData(key.Bytes, [.. previous, .. AuditHash.GetCanonicalBytes(Sample())]), hash);
        Assert.Equal(AuditHash.Size, hash.Length);
    }

    [Fact]
    public void Genesis_IsThirtyTwoZeroBytes()
    {
        Assert.Equal(new byte[32], AuditHash.Genesis.ToArray());
    }

    [Fact]
    public void GetCanonicalBytes_TextMovedAcrossFieldBoundary_Differs()
    {
        var left = Sample();
        left.Action = "abc";
        left.Actor = "d";
        var right = Sample();
        right.Action = "ab";
        right.Actor = "cd";

        Assert.NotEqual(AuditHash.GetCanonicalBytes(left), AuditHash.GetCanonicalBytes(right));
    }

    [Theory]
    [InlineData("sequence")]
    [InlineData("occurredAt")]
    [InlineData("stream")]
    [InlineData("action")]
    [InlineData("actor")]
    [InlineData("subject")]
    [InlineData("outcome")]
    [InlineData("details")]
    public void Compute_AnyFieldChanged_ChangesHash(string field)
    {
        using var key = AuditTestSupport.NewKey();
        var changed = Sample();
        switch (field)
        {
            case "sequence": changed.Sequence++; break;
            case "occurredAt": changed.OccurredAt = changed.OccurredAt.AddTicks(10); break;
            case "stream": changed.Stream = AuditStream.StaffAction; break;
            case "action": changed.Action += "x"; break;
            case "actor": changed.Actor += "x"; break;
            case "subject": changed.Subject += "x"; break;
            case "outcome": changed.Outcome = "UnknownKek"; break;
            case "details": changed.Details = "{\"a\":1}"; break;
        }

        Assert.NotEqual(AuditHash.Compute(key, AuditHash.Genesis, Sample()), AuditHash.Compute(key, AuditHash.Genesis, changed));
    }

    [Fact]
    public void Compute_OtherPreviousHash_ChangesHash()
    {
        using var key = AuditTestSupport.NewKey();
        var previous = new byte[32];
        previous[31] = 1;

        Assert.NotEqual(AuditHash.Compute(key, AuditHash.Genesis, Sample()), AuditHash.Compute(key, previous, Sample()));
    }
}
