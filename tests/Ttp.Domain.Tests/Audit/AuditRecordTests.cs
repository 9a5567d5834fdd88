using Ttp.Domain.Audit;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditRecordTests
{
    [Fact]
    public void StaffAction_ObjectDetails_CompactCamelCaseJsonWithEnumNames()
    {
        var record = AuditRecord.StaffAction("kek.imported", Actor.Staff("Alice@TTP.example"), "kek:acme/1",
            new { KekIndex = 1, Kcv = "0A1B2C", Kind = KeyKind.AuditKey });

        Assert.Equal(AuditStream.StaffAction, record.Stream);
        Assert.Equal("user:alice@ttp.example", record.Actor);
        Assert.Equal(AuditRecord.OutcomeOk, record.Outcome);
        Assert.Equal("{\"kekIndex\":1,\"kcv\":\"0A1B2C\",\"kind\":\"AuditKey\"}", record.Details);
        Assert.Null(record.OccurredAt);
    }

    [Fact]
    public void KeyRequest_NoDetails_EmptyObjectAndKeyRequestAction()
    {
        var record = AuditRecord.KeyRequest(Actor.Tsm("acme"), "issuer-key:A0000001/1", "ScopeDenied");

        Assert.Equal(AuditStream.KeyRequest, record.Stream);
        Assert.Equal(AuditRecord.KeyRequestAction, record.Action);
        Assert.Equal("tsm:acme", record.Actor);
        Assert.Equal("ScopeDenied", record.Outcome);
        Assert.Equal("{}", record.Details);
    }

    [Fact]
    public void Constructor_TimeWithTicksAndOffset_TruncatedToMicrosecondsInUtc()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(9_999_999);

        var record = new AuditRecord(AuditStream.StaffAction, "a", "system", "s", "ok", "{}", at);

        Assert.Equal(TimeSpan.Zero, record.OccurredAt!.Value.Offset);
        Assert.Equal(at.UtcTicks - 9, record.OccurredAt.Value.UtcTicks);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    [InlineData("{} {}")]
    public void Constructor_DetailsNotOneJsonObject_Throws(string details)
    {
        Assert.Throws<ArgumentException>(() => new AuditRecord(AuditStream.StaffAction, "a", "system", "s", "ok", details));
    }

    [Fact]
    public void StaffAction_StringDetails_Throws()
    {
        Assert.Throws<ArgumentException>(() => AuditRecord.StaffAction("a", Actor.System, "s", "{}"));
    }

    [Theory]
    [InlineData("", "system", "ok")]
    [InlineData("a", "", "ok")]
    [InlineData("a", "system", "")]
    [InlineData("line\nbreak", "system", "ok")]
    [InlineData("a", "nul\0", "ok")]
    public void Constructor_BadText_Throws(string action, string actor, string outcome)
    {
        Assert.Throws<ArgumentException>(() => new AuditRecord(AuditStream.StaffAction, action, actor, "s", outcome, "{}"));
    }

    [Fact]
    public void Constructor_LoneSurrogate_Throws()
    {
        var lone = "lone" + (char)0xD800;

        Assert.Throws<ArgumentException>(() => new AuditRecord(AuditStream.StaffAction, "a", "system", lone, "ok", "{}"));
        Assert.Throws<ArgumentException>(() => new AuditRecord(AuditStream.StaffAction, "a", "system", "s", "ok", "{\"x\":\"" + lone + "\"}"));
    }

    [Theory]
    [InlineData("{\"a\":\n1}")]
    [InlineData("{\"a\":\t1}")]
    public void Constructor_DetailsWithLineBreakOrTab_Throws(string details)
    {
        Assert.Throws<ArgumentException>(() => new AuditRecord(AuditStream.StaffAction, "a", "system", "s", "ok", details));
    }

    [Fact]
    public void Constructor_TooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            new AuditRecord(AuditStream.StaffAction, new string('a', AuditRecord.MaxActionLength + 1), "system", "s", "ok", "{}"));
        Assert.Throws<ArgumentException>(() =>
            new AuditRecord(AuditStream.StaffAction, "a", "system", "s", "ok", "{\"x\":\"" + new string('x', AuditRecord.MaxDetailsLength) + "\"}"));
    }

    [Fact]
    public void Constructor_UnknownStream_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditRecord((AuditStream)9, "a", "system", "s", "ok", "{}"));
    }
}
