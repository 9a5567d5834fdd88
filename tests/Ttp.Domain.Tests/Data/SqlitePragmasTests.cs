using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Data;

/// <summary>
/// The settings every SQLite connection of the product gets (<c>SqlitePragmas</c>): a committed audit record must
/// survive power loss (WAL, <c>synchronous=FULL</c>), and the checkpoint interval the audit figures rely on.
/// </summary>
public sealed class SqlitePragmasTests
{
    [Fact]
    public async Task EveryConnection_WalFullSyncForeignKeysBusyTimeoutAndCheckpointInterval()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        for (var open = 0; open < 2; open++)
        {
            // Twice: the second open gets the pooled native connection, configured once.
            await using var db = database.Factory.CreateDbContext();
            await db.Database.OpenConnectionAsync();
            Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
            Assert.Equal("2", await PragmaAsync(db, "synchronous")); // FULL
            Assert.Equal("1", await PragmaAsync(db, "foreign_keys"));
            Assert.Equal("30000", await PragmaAsync(db, "busy_timeout"));
            Assert.Equal("10000", await PragmaAsync(db, "wal_autocheckpoint"));
        }
    }

    private static async Task<string?> PragmaAsync(TtpDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
