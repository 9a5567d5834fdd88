using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ttp.Domain.Data;

/// <summary>
/// Sets SQLite pragmas on every new database connection: WAL journal (readers do not block the writer),
/// <c>synchronous=FULL</c> (a committed audit record survives power loss), a 30 s busy timeout, foreign keys on, and a
/// WAL checkpoint every 10,000 pages (about 40 MB) instead of SQLite's 1,000.
/// </summary>
/// <remarks>
/// <para>The checkpoint interval: the audit writer's commits rewrite the same few pages (the last leaf of the table and
/// of each index, the chain head), so a checkpoint copies far fewer pages than the WAL holds, and its cost is mostly its
/// own fsync of the database file, paid by whichever commit crosses the limit. Ten times fewer checkpoints raised the
/// audit group commit at 16 callers from about 16,000 to 20,000 records/s (docs/PERFORMANCE.md); the WAL file grows
/// to about 40 MB between checkpoints, and a reader of a long WAL looks pages up in a larger index.</para>
/// <para>These pragmas belong to the native connection, which Microsoft.Data.Sqlite pools and hands out again on the next
/// open: they are set once per native handle, not on every open (an open is on the key-request path).</para>
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=10000;";

    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            MarkConfigured(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            MarkConfigured(connection);
        }
    }

    private static bool NeedsPragmas(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !Configured.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Configured.AddOrUpdate(handle, Instance);
        }
    }
}
