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

    // The documented canonical layout of Sample(), byte by byte.
    private static readonly byte[] SampleCanonical =
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
    public void ComputeSha256_SampleRecord_IsSha256OfPreviousHashAndDocumentedCanonicalForm()
    {
        var previous = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var hash = AuditHash.ComputeSha256(previous, Sample());

        Assert.Equal(SHA256.HashData([.. previous, .. SampleCanonical]), hash);
        // The same value from Python's hashlib, as an auditor's tool computes it:
        // hashlib.sha256(bytes(range(100, 132)) + canonical).hexdigest()
        Assert.Equal("0984ffb7ab608f4aa60ecfdd3232f4fc364494516702db40c325e6a4676eb9c2", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void ComputeHmac_SampleRecord_IsHmacSha256OfPreviousHashAndCanonicalForm()
    {
        using var key = AuditTestSupport.NewKey();
        var previous = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var hash = AuditHash.ComputeHmac(key, previous, Sample());

        Assert.Equal(HMACSHA256.HashData(key.Bytes, [.. previous, .. SampleCanonical]), hash);
        Assert.Equal(AuditHash.Size, hash.Length);
    }

    [Fact]
    public void ComputeMac_Hash_IsHmacSha256OfTheHashUnderTheAuditKey()
    {
        using var key = AuditTestSupport.NewKey();
        var hash = SHA256.HashData(SampleCanonical);

        Assert.Equal(HMACSHA256.HashData(key.Bytes, hash), AuditHash.ComputeMac(key, hash));
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
    public void ComputeSha256_AnyFieldChanged_ChangesHash(string field)
    {
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

        Assert.NotEqual(AuditHash.ComputeSha256(AuditHash.Genesis, Sample()), AuditHash.ComputeSha256(AuditHash.Genesis, changed));
    }

    [Fact]
    public void ComputeSha256_OtherPreviousHash_ChangesHash()
    {
        var previous = new byte[32];
        previous[31] = 1;

        Assert.NotEqual(AuditHash.ComputeSha256(AuditHash.Genesis, Sample()), AuditHash.ComputeSha256(previous, Sample()));
    }
}
