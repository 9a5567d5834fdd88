using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Ttp.Domain.Data;

/// <summary>
/// The modes of the installation's files (Unix; nothing is done on Windows): the data directory
/// (<see cref="DataOptions.DataDirectory"/>) 0700, the SQLite database and its <c>-wal</c>, <c>-shm</c> and
/// <c>-journal</c> files 0600. New ones are created so; those of an existing installation are tightened at start-up
/// (<see cref="DomainInitializer"/>: the portal and every <c>ttpctl</c> command), each change logged.
/// </summary>
/// <remarks>
/// SQLite gives a new <c>-wal</c>, <c>-shm</c> or <c>-journal</c> file the mode of its database file, so a database
/// file created 0600 before SQLite first opens it (<see cref="CreateDatabaseFile"/>) keeps all of them private whatever
/// the process's umask.
/// </remarks>
public static class DataFiles
{
    /// <summary>The data directory's mode: 0700.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The database files' mode: 0600.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The files SQLite keeps beside a database: the database itself, then its WAL, shared memory and rollback journal.</summary>
    public static readonly IReadOnlyList<string> SqliteSuffixes = ["", "-wal", "-shm", "-journal"];

    /// <summary>Creates <paramref name="path"/> with mode 0700 when it is missing (an existing one is left to <see cref="Tighten"/>).</summary>
    /// <returns><paramref name="path"/>.</returns>
    public static string CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }

        return path;
    }

    /// <summary>The SQLite database file of <paramref name="connectionString"/>, absolute; null for an in-memory or URI database.</summary>
    public static string? SqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrWhiteSpace(source) || source == ":memory:" ||
            source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetFullPath(source);
    }

    /// <summary>
    /// Creates the database file with mode 0600 when it is missing, so that SQLite does not create it (and then its WAL)
    /// with the process's umask: an empty file, which SQLite takes for an empty database, switched to WAL journal mode at
    /// once (a database that is not yet in WAL mode cannot be switched over the read-only connection with which EF Core
    /// first checks that it exists). Nothing when its folder is missing: SQLite reports that.
    /// </summary>
    public static void CreateDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path) || !Directory.Exists(Path.GetDirectoryName(path)))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it a moment earlier; Tighten checks its mode at start-up.
            return;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Takes from the data directory every permission beyond 0700, and from the SQLite database file and its companions
    /// every permission beyond 0600; logs each change (path, mode before and after), and a change that fails (the fix to
    /// run by hand) without stopping.
    /// </summary>
    /// <param name="dataDirectory">The absolute data directory (may not exist yet).</param>
    /// <param name="databaseFile">The SQLite database file, or null (PostgreSQL).</param>
    /// <param name="logger">Where the changes are logged.</param>
    /// <returns>The paths whose mode was changed.</returns>
    public static IReadOnlyList<string> Tighten(string dataDirectory, string? databaseFile, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var changed = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            return changed;
        }

        if (Directory.Exists(dataDirectory))
        {
            TightenOne(new DirectoryInfo(dataDirectory), DirectoryMode, "700", logger, changed);
        }

        if (databaseFile is not null)
        {
            foreach (var suffix in SqliteSuffixes)
            {
                var file = new FileInfo(databaseFile + suffix);
                if (file.Exists)
                {
                    TightenOne(file, PrivateFileMode, "600", logger, changed);
                }
            }
        }

        return changed;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TightenOne(FileSystemInfo item, UnixFileMode allowed, string chmod, ILogger logger, List<string> changed)
    {
        try
        {
            var mode = item.UnixFileMode;
            if ((mode & ~allowed) == 0)
            {
                return;
            }

            var tightened = mode & allowed;
            item.UnixFileMode = tightened;
            changed.Add(item.FullName);
            DataLog.ModeTightened(logger, item.FullName, Octal(mode), Octal(tightened));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DataLog.ModeNotTightened(logger, item.FullName, e.Message, $"chmod {chmod} {item.FullName}");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
