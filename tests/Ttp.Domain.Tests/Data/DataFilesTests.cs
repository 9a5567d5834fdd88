using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Ttp.Domain.Data;

namespace Ttp.Domain.Tests.Data;

/// <summary>The data directory is created 0700 and the SQLite files 0600 whatever the umask; looser modes are tightened.</summary>
public sealed class DataFilesTests : IDisposable
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder = Directory.CreateTempSubdirectory("ttp-files-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void CreateDirectory_Missing_CreatedWithMode0700()
    {
        var path = Path.Combine(_folder, "data");

        DataFiles.CreateDirectory(path);

        Assert.Equal(Mode0700, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task MigrateAsync_NewSqliteDatabase_DatabaseWalAndSharedMemory0600()
    {
        var path = Path.Combine(_folder, "ttp.db");
        var factory = new TtpDbContextFactory(DatabaseProvider.Sqlite, $"Data Source={path}");

        await TtpDatabase.MigrateAsync(factory);
        await using var db = factory.CreateDbContext();
        await db.AuditEvents.CountAsync();

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            Assert.True(File.Exists(file), $"{Path.GetFileName(file)} should exist");
            Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Tighten_OpenModes_KeepsOnlyTheOwnersPermissionsAndReportsEachPath()
    {
        var data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.SetGroup);
        var database = Path.Combine(data, "ttp.db");
        var files = new[] { database, database + "-wal", database + "-shm", database + "-journal" };
        foreach (var file in files)
        {
            File.WriteAllBytes(file, []);
            File.SetUnixFileMode(file, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.UserExecute);
        }

        var changed = DataFiles.Tighten(data, database, NullLogger.Instance);

        Assert.Equal([data, .. files], changed);
        Assert.Equal(Mode0700, File.GetUnixFileMode(data));
        Assert.All(files, f => Assert.Equal(Mode0600, File.GetUnixFileMode(f)));
        Assert.Empty(DataFiles.Tighten(data, database, NullLogger.Instance));
    }

    [Fact]
    public void Tighten_AlreadyPrivateOrMissing_NothingChanged()
    {
        var data = Path.Combine(_folder, "data");
        DataFiles.CreateDirectory(data);
        var database = Path.Combine(data, "ttp.db");
        File.WriteAllBytes(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead);

        Assert.Empty(DataFiles.Tighten(data, database, NullLogger.Instance));
        Assert.Empty(DataFiles.Tighten(Path.Combine(_folder, "missing"), null, NullLogger.Instance));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(database));
    }
}
