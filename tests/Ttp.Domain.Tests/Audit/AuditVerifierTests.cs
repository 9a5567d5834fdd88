using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditVerifierTests
{
    private const int Records = 10;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_EmptyChain_Valid(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(0, result.RecordCount);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_UntouchedChain_ValidWithEveryRecord(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(Records, result.RecordCount);
        Assert.Equal(Records, result.LastSequence);
        Assert.Equal(AuditBreakReason.None, result.Reason);
        result.ThrowIfBroken();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_EachFieldChangedBySqlInAnEarlierRow_NamesThatRecordEachTime(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        var expected = new List<string>();
        var named = new List<string>();

        // One column at a time, each in an earlier row than the last, so that each change becomes the first break.
        var row = Records;
        foreach (var field in AuditTestSupport.Fields)
        {
            Assert.Equal(1, await AuditTestSupport.ExecuteRawAsync(database, AuditTestSupport.ChangeFieldSql(provider, field, row)));
            var result = await AuditVerifier.VerifyAsync(database.Factory, key);
            expected.Add($"{field}: {row} {AuditBreakReason.HashMismatch} {row - 1} verified");
            named.Add($"{field}: {result.FirstBrokenSequence} {result.Reason} {result.RecordCount} verified");
            Assert.Contains($"record {row}", result.Problem, StringComparison.Ordinal);
            row--;
        }

        Assert.Equal(expected, named);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_FirstRecordChanged_NamesRecordOne(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, AuditTestSupport.ChangeFieldSql(provider, "subject", 1));

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.False(result.IsValid);
        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.HashMismatch, result.Reason);
        Assert.Equal(0, result.RecordCount);
        var error = Assert.Throws<IntegrityException>(result.ThrowIfBroken);
        Assert.StartsWith("audit chain broken at record 1:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_RecordChangedSeveralBatchesIn_NamesItStopsReadingAndLeavesTheConnectionUsable(DatabaseProvider provider)
    {
        // Records are read ahead in batches of 1,024 on another thread, a few batches at most: a break in the third stops the reading
        // (on PostgreSQL the query is cancelled, not read to its end), and the next verification on the same pool works.
        const int many = 10_000;
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using (var db = database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, [.. Enumerable.Range(1, many).Select(AuditTestSupport.KeyRequestRecord)], key);
            await transaction.CommitAsync();
        }

        Assert.True((await AuditVerifier.VerifyAsync(database.Factory, key)).IsValid);
        Assert.Equal(1, await AuditTestSupport.ExecuteRawAsync(database, AuditTestSupport.ChangeFieldSql(provider, "subject", 2500)));

        var first = await AuditVerifier.VerifyAsync(database.Factory, key);
        var again = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal((2500L, AuditBreakReason.HashMismatch, 2499L), (first.FirstBrokenSequence, first.Reason, first.RecordCount));
        Assert.Equal((2500L, AuditBreakReason.HashMismatch, 2499L), (again.FirstBrokenSequence, again.Reason, again.RecordCount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_MacRemoved_MacMismatchNamesTheRecord(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        Assert.Equal(1, await AuditTestSupport.ExecuteRawAsync(database, "UPDATE audit_events SET mac = NULL WHERE sequence = 6"));

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal((6L, AuditBreakReason.MacMismatch), (result.FirstBrokenSequence, result.Reason));
        Assert.Equal("record 6 does not carry the TTP's MAC: it was not written by the TTP, or its hash was changed", result.Problem);
    }

    [Theory]
    [InlineData("action")]
    [InlineData("actor")]
    [InlineData("subject")]
    [InlineData("outcome")]
    [InlineData("details")]
    public async Task VerifyAsync_SqliteTextNotUtf8_HashMismatchNamesTheRecord(string column)
    {
        // SQLite stores whatever bytes it is given as text (PostgreSQL refuses them): the verifier hashes the stored
        // bytes, and bytes that are not UTF-8 cannot have been written by the TTP.
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        Assert.Equal(1, await AuditTestSupport.ExecuteRawAsync(database, $"UPDATE audit_events SET {column} = CAST(X'41C328' AS TEXT) WHERE sequence = 3"));

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal((3L, AuditBreakReason.HashMismatch, 2L), (result.FirstBrokenSequence, result.Reason, result.RecordCount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_RowDeleted_NamesTheGap(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, "DELETE FROM audit_events WHERE sequence = 4");

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.Gap, result.Reason);
        Assert.Equal("record 4 is missing", result.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_RowRenumbered_NamesTheGap(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, "UPDATE audit_events SET sequence = 1000 WHERE sequence = 7");

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal(7, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.Gap, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_LastRowDeleted_HeadMismatchNamesTheMissingRecord(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, $"DELETE FROM audit_events WHERE sequence = {Records}");

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal(Records, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.HeadMismatch, result.Reason);
        Assert.Equal(Records - 1, result.RecordCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_HeadHashChanged_HeadMismatchNamesLastRecord(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, "UPDATE audit_chain_head SET last_hash = (SELECT hash FROM audit_events WHERE sequence = 1)");

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal(Records, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.HeadMismatch, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_RowAddedPastHead_HeadMismatchNamesIt(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, Records);
        await AuditTestSupport.ExecuteRawAsync(database, $"UPDATE audit_chain_head SET last_sequence = {Records - 1}");

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);

        Assert.Equal(Records, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.HeadMismatch, result.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_OtherKey_FirstRecordMacMismatch(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        using var otherKey = AuditTestSupport.OtherKey();
        await AuditTestSupport.AppendAsync(database, key, 3);

        var result = await AuditVerifier.VerifyAsync(database.Factory, otherKey);

        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Equal(AuditBreakReason.MacMismatch, result.Reason);
    }
}
