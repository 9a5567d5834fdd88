using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditRecordLookupTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_KeyRequest_EveryRecordedFieldFlattenedInOrderWithTheChainHash(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var at = new DateTimeOffset(2026, 12, 1, 8, 30, 15, TimeSpan.Zero).AddTicks(1234560);
        var requestId = Guid.NewGuid();
        var record = AuditRecord.KeyRequest(Actor.Tsm("acme"), "issuer-key:A0000001/1", "ok", new
        {
            RequestId = requestId, Tsm = "acme", CertificateThumbprint = "AB12CD", RemoteAddress = "192.0.2.7", Iin = "A0000001",
            Kvn = 1, KekIndex = 2, CheckValues = new { Enc = "111111", Mac = "222222", Dek = "333333" }, LatencyMicroseconds = 842,
            IntegrityFailure = (string?)null, Flags = new[] { 1, 2 },
        }).WithOccurredAt(at);
        await using (var db = database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, [AuditTestSupport.StaffRecord(1), record], key);
            await transaction.CommitAsync();
        }

        var lookup = new AuditRecordLookup(database.Factory);
        var detail = await lookup.GetAsync(2);

        Assert.NotNull(detail);
        Assert.Equal((2L, at, AuditStream.KeyRequest, "key-request", "tsm:acme", "issuer-key:A0000001/1", "ok"),
            (detail.Sequence, detail.OccurredAt, detail.Stream, detail.Action, detail.Actor, detail.Subject, detail.Outcome));
        Assert.Equal(
            ["requestId", "tsm", "certificateThumbprint", "remoteAddress", "iin", "kvn", "kekIndex", "checkValues.enc", "checkValues.mac",
             "checkValues.dek", "latencyMicroseconds", "integrityFailure", "flags"],
            detail.Fields.Select(f => f.Name));
        Assert.Equal(requestId.ToString("D"), detail.Field("requestId"));
        Assert.Equal("222222", detail.Field("checkValues.mac"));
        Assert.Equal("842", detail.Field("latencyMicroseconds"));
        Assert.Equal("null", detail.Field("integrityFailure"));
        Assert.Equal("[1,2]", detail.Field("flags"));
        Assert.Null(detail.Before);
        await using (var db = database.Factory.CreateDbContext())
        {
            var stored = db.AuditEvents.Single(e => e.Sequence == 2);
            Assert.Equal(Convert.ToHexStringLower(stored.Hash), detail.HashHex);
        }

        Assert.Null(await lookup.GetAsync(2, AuditStream.StaffAction));
        Assert.Null(await lookup.GetAsync(3));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_StaffActionWithBeforeAndAfter_SeparatesThemFromTheOtherFields(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await StaffActionSearchData.AppendAsync(database, 3);

        var detail = await new AuditRecordLookup(database.Factory).GetAsync(samples[2].Sequence, AuditStream.StaffAction);

        Assert.NotNull(detail);
        Assert.Equal((samples[2].Actor, samples[2].Action, samples[2].Subject), (detail.Actor, detail.Action, detail.Subject));
        Assert.Empty(detail.Fields);
        Assert.Equal([new AuditDetailField("state", "Pending"), new AuditDetailField("index", "2")], detail.Before);
        Assert.Equal([new AuditDetailField("state", "Approved"), new AuditDetailField("index", "2")], detail.After);
    }

    [Fact]
    public async Task GetAsync_DetailsChangedToNonJsonInSql_ShowsTheStoredTextWhole()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var samples = await StaffActionSearchData.AppendAsync(database, 2);
        await using (var db = database.Factory.CreateDbContext())
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"UPDATE audit_events SET details = 'not json {{' WHERE sequence = {samples[1].Sequence}";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var detail = await new AuditRecordLookup(database.Factory).GetAsync(samples[1].Sequence);

        Assert.Equal([new AuditDetailField("details", "not json {")], detail!.Fields);
    }

    [Fact]
    public async Task GetAsync_SequenceBelowOne_RefusedNamingTheField()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new AuditRecordLookup(database.Factory).GetAsync(0));

        Assert.Equal("sequence", error.ParamName);
    }
}
