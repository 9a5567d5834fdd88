using System.Globalization;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Audit;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// The migration <c>KekCeremonies</c> on an installation of the release before it (schema at <c>CeremonySteps</c>), built
/// with SQL of that schema: its KEKs become version 1 of their index, keep their state and envelope, and a later version of
/// the same index can then be stored while a second version 1 cannot.
/// </summary>
public sealed class KekCeremoniesMigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_KekOfPreviousSchema_BecomesVersionOneOfItsIndex(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "CeremonySteps");
        var sqlite = provider == DatabaseProvider.Sqlite;
        var tsmId = Guid.NewGuid();
        var kekId = Guid.NewGuid();
        await AuditTestSupport.ExecuteRawAsync(database, NoForeignKeys(sqlite)
            + $"INSERT INTO keks (id, tsm_id, \"index\", algorithm, format, key_check_value, state, created_by, created_at, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload) "
            + $"VALUES ({Id(kekId, sqlite)}, {Id(tsmId, sqlite)}, 1, 3, 1, 'ABCDEF', 1, 'cli', {Created(sqlite)}, 2, 'lmk-1', {Bytes("0102", sqlite)}, {Bytes("0304", sqlite)})");

        await TtpDatabase.MigrateAsync(database.Factory);

        Assert.Equal("1|1|1|ABCDEF|0304|||", await ReadAsync(database, $"SELECT version, \"index\", state, key_check_value, envelope_payload, ceremony_id, activated_by, retired_by FROM keks WHERE id = {Id(kekId, sqlite)}"));
        var insert = NoForeignKeys(sqlite)
            + "INSERT INTO keks (id, tsm_id, \"index\", version, algorithm, format, key_check_value, state, created_by, created_at, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload) "
            + $"VALUES ({{0}}, {Id(tsmId, sqlite)}, 1, {{1}}, 3, 1, '123456', 3, 'so', {Created(sqlite)}, 2, 'lmk-1', {Bytes("0102", sqlite)}, {Bytes("0304", sqlite)})";
        Assert.Equal(1, await AuditTestSupport.ExecuteRawAsync(database, string.Format(CultureInfo.InvariantCulture, insert, Id(Guid.NewGuid(), sqlite), 2)));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            AuditTestSupport.ExecuteRawAsync(database, string.Format(CultureInfo.InvariantCulture, insert, Id(Guid.NewGuid(), sqlite), 1)));
    }

    // The TSM rows are not part of what the migration changes: the KEK is inserted without one.
    private static string NoForeignKeys(bool sqlite) => sqlite ? "PRAGMA foreign_keys = OFF; " : "SET session_replication_role = replica; ";

    private static string Created(bool sqlite) => sqlite ? "1764000000000000" : "'2025-11-24T16:00:00Z'";

    private static string Id(Guid id, bool sqlite) => sqlite ? $"'{id.ToString("D").ToUpperInvariant()}'" : $"'{id:D}'";

    private static string Bytes(string hex, bool sqlite) => sqlite ? $"X'{hex}'" : $"'\\x{hex}'::bytea";

    private static async Task<string> ReadAsync(TestDatabase database, string sql)
    {
        await using var connection = database.Provider == DatabaseProvider.Sqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.SqlitePath};Pooling=False")
            : new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? string.Empty
            : reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
    }
}
