using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ttp.Cli.Tests.Infrastructure;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// The installation's files (issue 9, item 7): the data directory 0700 and the SQLite files 0600, new or tightened at
/// start-up (<c>ttpctl init</c> and every command; the portal runs the same initializer). On SQLite and PostgreSQL.
/// </summary>
public sealed class DataFileTests
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0755 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Fact]
    public async Task Init_FreshDefaultInstallation_DataDirectory0700DatabaseAndWal0600()
    {
        var folder = Directory.CreateTempSubdirectory("ttp-modes-").FullName;
        try
        {
            var data = Path.Combine(folder, "data");
            var config = Path.Combine(folder, "ttpctl.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Ttp = new { DataDirectory = data, Database = new { Provider = "Sqlite" } } }));

            var init = await CliRunner.RunAsync("init", "--config", config);
            var list = await CliRunner.RunAsync("tsm", "list", "--config", config);

            Assert.True(init.ExitCode == 0, init.Stderr);
            Assert.True(list.ExitCode == 0, list.Stderr);
            Assert.Equal(Mode0700, File.GetUnixFileMode(data));
            var database = Path.Combine(data, "ttp.db");
            foreach (var file in new[] { database, database + "-wal", database + "-shm", Path.Combine(data, "lmk.key") })
            {
                Assert.True(File.Exists(file), $"{Path.GetFileName(file)} should exist");
                Assert.Equal(Mode0600, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Init_FreshInstallation_DataDirectory0700(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);

        await env.OkAsync("init");

        Assert.Equal(Mode0700, File.GetUnixFileMode(Path.Combine(env.Folder, "data")));
        if (env.Database.SqlitePath is { } database)
        {
            Assert.Equal(Mode0600, File.GetUnixFileMode(database));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Init_ExistingInstallationOpenToOthers_TightenedOnceAndLogged(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var data = Path.Combine(env.Folder, "data");
        File.SetUnixFileMode(data, Mode0755);
        var files = new List<string>();
        SqliteConnection? reader = null;
        if (env.Database.SqlitePath is { } database)
        {
            // A reader of the previous release holds the database open: its WAL and shared memory exist.
            SqliteConnection.ClearAllPools();
            reader = new SqliteConnection(env.Database.ConnectionString);
            await reader.OpenAsync();
            await using (var command = reader.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM audit_events";
                await command.ExecuteScalarAsync();
            }

            files.AddRange([database, database + "-wal", database + "-shm"]);
            files.ForEach(f => File.SetUnixFileMode(f, Mode0644 | UnixFileMode.GroupWrite));
        }

        try
        {
            using var logs = new LogCapture();
            var init = await env.RunWithAsync(string.Empty, null, logs, "init");
            using var again = new LogCapture();
            var second = await env.RunWithAsync(string.Empty, null, again, "init");

            Assert.True(init.ExitCode == 0, init.Stderr);
            Assert.True(second.ExitCode == 0, second.Stderr);
            Assert.Equal(Mode0700, File.GetUnixFileMode(data));
            Assert.Contains(logs.Lines, l => l.Contains($"Tightened the mode of {data} from 0755 to 0700", StringComparison.Ordinal));
            foreach (var file in files)
            {
                Assert.Equal(Mode0600, File.GetUnixFileMode(file));
                Assert.Contains(logs.Lines, l => l.Contains($"Tightened the mode of {file} from 0664 to 0600", StringComparison.Ordinal));
            }

            Assert.DoesNotContain(again.Lines, l => l.Contains("Tightened the mode", StringComparison.Ordinal));
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
        }
    }
}
