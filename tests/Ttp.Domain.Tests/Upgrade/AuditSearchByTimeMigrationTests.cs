using System.Globalization;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Audit;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// Migration <c>AuditSearchByTime</c> on an installation of the previous release (schema as of <c>AuditSearchIndexes</c>,
/// with key-request records): the field indexes are rebuilt to continue with the time (and, on PostgreSQL, the sequence),
/// and the records written before are found, in time order.
/// </summary>
public sealed class AuditSearchByTimeMigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_PreviousReleaseIndexes_RebuiltInTimeOrderAndRecordsFound(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "AuditSearchIndexes");
        var sqlite = provider == DatabaseProvider.Sqlite;
        Assert.DoesNotContain("occurred_at", await IndexAsync(database, "ix_audit_kr_kdd"), StringComparison.Ordinal);

        // Two requests for one card, the later one sequenced first (records are timed before they are sequenced).
        await InsertAsync(database, 1, "2026-12-01T10:00:05Z", "0102030405060708090A", sqlite);
        await InsertAsync(database, 2, "2026-12-01T10:00:01Z", "0102030405060708090A", sqlite);
        await TtpDatabase.MigrateAsync(database.Factory);

        foreach (var name in AuditSearchIndexSql.Indexes.Select(i => i.Name).Where(n => n != "ix_audit_kr_request_id").Append(AuditSearchIndexSql.OutcomeIndex))
        {
            var definition = await IndexAsync(database, name);
            Assert.Contains(sqlite ? "occurred_at)" : "occurred_at, sequence)", definition, StringComparison.Ordinal);
            Assert.Contains("'key-request'", definition, StringComparison.Ordinal);
        }

        var page = await new KeyRequestSearch(database.Factory).SearchAsync(new KeyRequestFilter(Kdd: "0102030405060708090a"));
        Assert.Equal([1L, 2L], page.Rows.Select(r => r.Sequence));
    }

    private static Task<int> InsertAsync(TestDatabase database, long sequence, string time, string kdd, bool sqlite)
    {
        var at = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);
        var occurredAt = sqlite ? AuditHash.ToUnixMicroseconds(at).ToString(CultureInfo.InvariantCulture) : $"'{time}'";
        var hash = sqlite ? "X'" + new string('0', 64) + "'" : "'\\x" + new string('0', 64) + "'::bytea";
        return AuditTestSupport.ExecuteRawAsync(database,
            "INSERT INTO audit_events (sequence, occurred_at, stream, action, actor, subject, outcome, details, hash) " +
            $"VALUES ({sequence}, {occurredAt}, 2, 'key-request', 'tsm:acme', '', 'ok', '{{\"tsm\":\"acme\",\"kdd\":\"{kdd}\"}}', {hash})");
    }

    private static async Task<string> IndexAsync(TestDatabase database, string name)
    {
        await using var connection = database.Provider == DatabaseProvider.Sqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.SqlitePath};Pooling=False")
            : new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = database.Provider == DatabaseProvider.Sqlite
            ? $"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{name}'"
            : $"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
