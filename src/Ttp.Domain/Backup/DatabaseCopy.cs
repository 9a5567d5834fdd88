using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Backup;

/// <summary>
/// The database half of backup and restore, per provider. SQLite: <c>VACUUM INTO</c> a new file (a consistent copy of
/// the live database, readers and writers carry on), restored by moving a copy into place. PostgreSQL: <c>pg_dump
/// --format=custom</c> at a snapshot exported by a repeatable-read transaction that also reads where the audit chain ends,
/// restored by <c>pg_restore --single-transaction</c> into an empty database.
/// </summary>
internal static class DatabaseCopy
{
    /// <summary>Copies the database into <paramref name="directory"/>; returns the copied file's name and where the copy's
    /// audit chain ends.</summary>
    public static async Task<(string File, DatabaseState State)> CopyAsync(
        DatabaseProvider provider, string connectionString, string directory, CancellationToken cancellationToken)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
            {
                var target = Path.Combine(directory, BackupFiles.SqliteDatabase);
                await using (var live = new SqliteConnection(connectionString))
                {
                    await live.OpenAsync(cancellationToken);
                    await using var vacuum = live.CreateCommand();
                    vacuum.CommandText = "VACUUM INTO $target";
                    vacuum.Parameters.AddWithValue("$target", target);
                    await vacuum.ExecuteNonQueryAsync(cancellationToken);
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, DataFiles.PrivateFileMode);
                }

                await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                await copy.OpenAsync(cancellationToken);
                return (BackupFiles.SqliteDatabase, await ReadStateAsync(copy, null, cancellationToken));
            }

            case DatabaseProvider.Postgres:
            {
                var target = Path.Combine(directory, BackupFiles.PostgresDump);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
                await using var export = connection.CreateCommand();
                export.Transaction = transaction;
                export.CommandText = "SELECT pg_export_snapshot()";
                var snapshot = (string)(await export.ExecuteScalarAsync(cancellationToken))!;
                var state = await ReadStateAsync(connection, transaction, cancellationToken);
                await using (File.Create(target))
                {
                    // pg_dump writes into it; created here so that its mode is the backup directory's (0700 folder).
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, DataFiles.PrivateFileMode);
                }

                await PostgresTools.DumpAsync(connectionString, target, snapshot, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (BackupFiles.PostgresDump, state);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    /// <summary>
    /// Why the configured database is not empty (it has tables: migrations applied, rows), or null when it is: a SQLite
    /// file that is missing, empty or without tables; a PostgreSQL database without tables outside the system schemas.
    /// </summary>
    public static async Task<string?> DescribeContentAsync(DatabaseProvider provider, string connectionString, string? sqliteFile, CancellationToken cancellationToken)
    {
        DbConnection connection;
        string sql;
        if (provider == DatabaseProvider.Sqlite)
        {
            if (sqliteFile is null || !File.Exists(sqliteFile) || new FileInfo(sqliteFile).Length == 0)
            {
                return null;
            }

            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqliteFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";
        }
        else
        {
            connection = new NpgsqlConnection(connectionString);
            sql = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";
        }

        await using (connection)
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var tables = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return tables == 0 ? null : $"the database ({Describe(provider, connectionString, sqliteFile)}) has {tables} tables";
        }
    }

    /// <summary>Where the configured (just restored) database's audit chain ends.</summary>
    public static async Task<DatabaseState> ReadStateAsync(DatabaseProvider provider, string connectionString, string? sqliteFile, CancellationToken cancellationToken)
    {
        DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqliteFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
            : new NpgsqlConnection(connectionString);
        await using (connection)
        {
            await connection.OpenAsync(cancellationToken);
            return await ReadStateAsync(connection, null, cancellationToken);
        }
    }

    /// <summary>Where the database is, for messages: the SQLite file, or host, port and database (never the password).</summary>
    public static string Describe(DatabaseProvider provider, string connectionString, string? sqliteFile)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return sqliteFile ?? "in memory";
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static async Task<DatabaseState> ReadStateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var head = connection.CreateCommand();
        head.Transaction = transaction;
        head.CommandText = $"SELECT {AuditSchema.HeadLastSequence}, {AuditSchema.HeadLastHash} FROM {AuditSchema.HeadTable}";
        long sequence;
        byte[] hash;
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new IntegrityException($"the database has no {AuditSchema.HeadTable} row: not an initialized installation");
            }

            sequence = reader.GetInt64(0);
            hash = (byte[])reader.GetValue(1);
        }

        await using var migration = connection.CreateCommand();
        migration.Transaction = transaction;
        migration.CommandText = "SELECT migration_id FROM \"__EFMigrationsHistory\" ORDER BY migration_id DESC LIMIT 1";
        var last = await migration.ExecuteScalarAsync(cancellationToken) as string;

        await using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = $"SELECT MAX(sequence) FROM audit_events WHERE action = '{BackupService.BackedUpAction}'";
        var backedUp = await record.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return new DatabaseState(sequence, Convert.ToHexStringLower(hash), last, backedUp);
    }
}

/// <summary>Where a copied database's audit chain ends, its last migration, and its latest record of a backup.</summary>
internal sealed record DatabaseState(long LastSequence, string HeadHash, string? Migration, long BackupRecordSequence);
