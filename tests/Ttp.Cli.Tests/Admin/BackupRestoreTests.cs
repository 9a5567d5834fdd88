using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ttp.Domain.Data;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl backup</c> and <c>ttpctl restore</c> end to end on SQLite and PostgreSQL: an installation with a TSM, its
/// KEK and an issuer key set made through ttpctl, a key request through the domain's <see cref="KeyRequestService"/>,
/// a backup, a wipe (database and anchors; the LMK file stays, as the custodians would restore it), a restore, then
/// <c>audit verify</c> and a key request with the restored keys.
/// </summary>
public sealed class BackupRestoreTests
{
    // GlobalPlatform default test key 404142434445464748494A4B4C4D4E4F as two components (the second is the XOR).
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    private const string Component2 = "41620724CDEE8BA8B695F0D33A197C5F";

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_EMV_SCP02: KDD 00010203040506070809,
    // ENC check value C33013 under the default key.
    private const string Kdd = "00010203040506070809";
    private const string EncKcv = "C33013";

    // Key information template of key set KVN 1: ENC, MAC, DEK (ids 1-3), DES 16 bytes.
    private const string E0Kvn1 = "E012C00401018010C00402018010C00403018010";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task BackupWipeRestore_LmkKept_AuditVerifiesAndKeyRequestSucceeds(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        var caller = await BuildInstallationAsync(env);
        Assert.Equal(EncKcv, await RequestEncCheckValueAsync(env, caller));
        var backup = Path.Combine(env.Folder, "backup");
        // The portal's data-protection keys (each sealed under the LMK; here any XML file stands for one).
        var keys = Directory.CreateDirectory(Path.Combine(env.Folder, "data", "dataprotection-keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "key-test.xml"), "<key id=\"test\" />");

        var backedUp = await env.OkAsync("backup", "--out", backup);

        var files = Directory.GetFiles(backup, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(backup, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(provider == DatabaseProvider.Sqlite ? "ttp.db" : "ttp.pgdump", files);
        Assert.Contains("anchors/checkpoints.jsonl", files);
        Assert.Contains("manifest.json", files);
        Assert.Contains("markers/key-state-macs.done", files);
        Assert.Contains("dataprotection-keys/key-test.xml", files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(backup, f))));
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("lmk", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("tls", StringComparison.Ordinal));
        var lmkBytes = await File.ReadAllBytesAsync(LmkFile(env));
        foreach (var file in files)
        {
            Assert.True((await File.ReadAllBytesAsync(Path.Combine(backup, file))).AsSpan().IndexOf(lmkBytes) < 0, $"{file} holds the LMK");
        }

        using (var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(backup, "manifest.json"))))
        {
            var root = manifest.RootElement;
            Assert.Equal(provider.ToString(), root.GetProperty("provider").GetString());
            Assert.Equal(backedUp.Field("lmk_id"), root.GetProperty("lmk_id").GetString());
            Assert.StartsWith("lmk-", root.GetProperty("lmk_id").GetString(), StringComparison.Ordinal);
            Assert.Equal(files.Count - 1, root.GetProperty("files").GetArrayLength());
            var audit = root.GetProperty("audit");
            Assert.True(audit.GetProperty("backup_record_sequence").GetInt64() > 0);
            Assert.True(audit.GetProperty("last_sequence").GetInt64() >= audit.GetProperty("backup_record_sequence").GetInt64());
        }

        await WipeAsync(env);
        Directory.Delete(keys, recursive: true);

        var restored = await env.OkAsync("restore", "--from", backup);

        Assert.Equal(backedUp.Field("lmk_id"), restored.Field("lmk_id"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
        Assert.Equal(EncKcv, await RequestEncCheckValueAsync(env, caller));
        Assert.Equal("<key id=\"test\" />", await File.ReadAllTextAsync(Path.Combine(keys, "key-test.xml")));
        Assert.Equal(1, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.backed-up'"));
        Assert.Equal(1, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.restored'"));
        Assert.Equal(2, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'key-request' AND outcome = 'ok'"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Backup_WhileKeyRequestsAreAnswered_RestoresAVerifiableTrail(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        var caller = await BuildInstallationAsync(env);
        var backup = Path.Combine(env.Folder, "backup");
        var services = CliServices.Build(env.ConfigFile);
        var keyRequests = services.GetRequiredService<KeyRequestService>();
        using var stop = new CancellationTokenSource();

        // Another process's key requests (a portal) keep appending and checkpointing while the copy is taken.
        var answered = 0;
        var load = Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                await keyRequests.GetDiversifiedKeysAsync(new KeyRequest(null, Kdd, E0Kvn1, null, "000001", null, 1, 1), caller);
                Interlocked.Increment(ref answered);
                await Task.Delay(25); // within the TSM's default rate (50 a second)
            }
        });
        while (Volatile.Read(ref answered) < 5)
        {
            await Task.Delay(10);
        }

        var backedUp = await env.OkAsync("backup", "--out", backup);
        await stop.CancelAsync();
        await load;
        await services.DisposeAsync();

        Assert.True(answered >= 5);
        await WipeAsync(env);
        var restored = await env.OkAsync("restore", "--from", backup);
        Assert.Equal(backedUp.Json.GetProperty("audit").GetProperty("last_sequence").GetInt64(), restored.Json.GetProperty("backup_last_sequence").GetInt64());
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
        Assert.Equal(EncKcv, await RequestEncCheckValueAsync(env, caller));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Restore_InstallationNotEmpty_RefusedWithExit3NamingWhy(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var backup = Path.Combine(env.Folder, "backup");
        await env.OkAsync("backup", "--out", backup);

        (await env.RunAsync("restore", "--from", backup)).AssertFailure(3, "not empty", "tables", "anchors file");

        // The database wiped, the anchors kept: still not empty.
        await WipeDatabaseAsync(env);
        (await env.RunAsync("restore", "--from", backup)).AssertFailure(3, "not empty", "anchors file");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Restore_FileChangedAfterBackup_RefusedWithExit5AndNothingRestored(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var backup = Path.Combine(env.Folder, "backup");
        await env.OkAsync("backup", "--out", backup);
        await WipeAsync(env);
        var anchors = Path.Combine(backup, "anchors", "checkpoints.jsonl");
        var bytes = await File.ReadAllBytesAsync(anchors);
        bytes[10] ^= 0x01;
        await File.WriteAllBytesAsync(anchors, bytes);

        (await env.RunAsync("restore", "--from", backup)).AssertFailure(5, "anchors/checkpoints.jsonl", "SHA-256");

        Assert.False(File.Exists(Path.Combine(env.Folder, "data", "anchors", "checkpoints.jsonl")));
        Assert.Equal(0, await CountTablesAsync(env));
    }

    [Fact]
    public async Task Restore_LmkMissingOrAnother_RefusedWithExit3AndNoLmkCreated()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var lmkId = (await env.OkAsync("init")).Field("lmk", "id");
        var backup = Path.Combine(env.Folder, "backup");
        await env.OkAsync("backup", "--out", backup);
        await WipeAsync(env);
        var lmk = LmkFile(env);
        var kept = await File.ReadAllBytesAsync(lmk);
        File.Delete(lmk);

        (await env.RunAsync("restore", "--from", backup)).AssertFailure(3, "LMK file", "missing", lmkId);
        Assert.False(File.Exists(lmk));

        await using (var other = new FileStream(lmk, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            other.Write(RandomNumberGenerator.GetBytes(32));
        }

        (await env.RunAsync("restore", "--from", backup)).AssertFailure(3, "sealed under LMK " + lmkId);
        Assert.Equal(0, await CountTablesAsync(env));

        File.Delete(lmk);
        await File.WriteAllBytesAsync(lmk, kept);
        File.SetUnixFileMode(lmk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await env.OkAsync("restore", "--from", backup);
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task Backup_OutFolderNotEmpty_BadInputAndNothingWritten()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        var backup = Directory.CreateDirectory(Path.Combine(env.Folder, "backup")).FullName;
        await File.WriteAllTextAsync(Path.Combine(backup, "other.txt"), "not a backup");

        (await env.RunAsync("backup", "--out", backup)).AssertBadInput("--out", "not empty");

        Assert.Equal(["other.txt"], Directory.GetFiles(backup).Select(Path.GetFileName));
        Assert.Equal(0, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.backed-up'"));
    }

    [Fact]
    public async Task Backup_CopyFails_FolderRemovedAndFailureAudited()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        var keys = Directory.CreateDirectory(Path.Combine(env.Folder, "data", "dataprotection-keys")).FullName;
        File.CreateSymbolicLink(Path.Combine(keys, "key-gone.xml"), Path.Combine(env.Folder, "no-such-file"));
        var backup = Path.Combine(env.Folder, "backup");

        var failed = await env.RunAsync("backup", "--out", backup);

        failed.AssertFailure(1, "key-gone.xml");
        Assert.False(Directory.Exists(backup));
        Assert.False(Directory.Exists(backup + ".partial"));
        Assert.Equal(1, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.backed-up'"));
        Assert.Equal(1, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.backup-failed' AND outcome = 'error'"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task Restore_BackupOfAnEarlierSchema_AppliesLaterMigrationsAndVerifies()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var lmkId = (await env.OkAsync("init")).Field("lmk", "id");
        await WipeAsync(env);

        // A backup of an installation one migration behind (its database as the earlier release left it, no records yet).
        const string earlier = "20261206204145_AuditVerifications";
        await using var old = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, earlier);
        SqliteConnection.ClearAllPools();
        var backup = Directory.CreateDirectory(Path.Combine(env.Folder, "backup")).FullName;
        File.Copy(old.SqlitePath!, Path.Combine(backup, "ttp.db"));
        Directory.CreateDirectory(Path.Combine(backup, "anchors"));
        await File.WriteAllTextAsync(Path.Combine(backup, "anchors", "checkpoints.jsonl"), string.Empty);
        var manifest = new Ttp.Domain.Backup.BackupManifest
        {
            Format = Ttp.Domain.Backup.BackupManifest.CurrentFormat,
            ProductVersion = "earlier",
            Provider = DatabaseProvider.Sqlite,
            CreatedAt = DateTimeOffset.UtcNow,
            LmkId = lmkId,
            Migration = earlier,
            Audit = new Ttp.Domain.Backup.BackupAuditSummary(0, new string('0', 64), 0, null, null, null),
            Files =
            [
                await Ttp.Domain.Backup.BackupManifest.DescribeAsync(backup, "ttp.db", CancellationToken.None),
                await Ttp.Domain.Backup.BackupManifest.DescribeAsync(backup, "anchors/checkpoints.jsonl", CancellationToken.None),
            ],
        };
        await manifest.WriteAsync(backup, CancellationToken.None);

        await env.OkAsync("restore", "--from", backup);

        Assert.True(await CountAsync(env, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\" WHERE migration_id > '" + earlier + "'") > 0);
        Assert.Equal(1, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'installation.restored'"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }

    // An Operator, a TSM approved by them with issuer 000001, its TDES KEK 1 and issuer key set 000001/1, all by ttpctl.
    private static async Task<KeyRequestCaller> BuildInstallationAsync(CliEnvironment env)
    {
        await env.OkAsync("init");
        var added = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "--email", "ops.a@ttp.test", "--role", "Operator", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Stderr);
        var pem = TestCertificates.WriteClientCertificate(env.Folder, "acme");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", pem, "--issuer", "000001");
        var approved = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "tsm", "approve", "--name", "acme", "--approver", "ops.a@ttp.test", "--password-stdin");
        Assert.True(approved.ExitCode == 0, approved.Stderr);
        await env.OkWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2", "--format", "gp");
        await env.OkWithComponentsAsync([Component1, Component2], "issuer-key", "import", "--iin", "000001", "--kvn", "1",
            "--scheme", "scp02", "--method", "emv", "--sample-kdd", Kdd, "--sample-enc-kcv", EncKcv);
        await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1");

        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pem));
        return new KeyRequestCaller(Convert.ToHexString(SHA256.HashData(certificate.RawData)), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), "192.0.2.10");
    }

    // A key request through the domain service, with the installation's configuration (as the portal would make it).
    private static async Task<string> RequestEncCheckValueAsync(CliEnvironment env, KeyRequestCaller caller)
    {
        await using var services = CliServices.Build(env.ConfigFile);
        var result = await services.GetRequiredService<KeyRequestService>().GetDiversifiedKeysAsync(
            new KeyRequest(null, Kdd, E0Kvn1, null, "000001", null, 1, 1), caller);
        Assert.Equal("SCP02", result.Scheme);
        return result.Keys.Single(k => k.Usage == "ENC").CheckValue;
    }

    private static string LmkFile(CliEnvironment env) => Path.Combine(env.Folder, "data", "lmk.key");

    // What an operator does to start again: the database emptied and the anchors removed; the LMK file and the markers stay.
    private static async Task WipeAsync(CliEnvironment env)
    {
        await WipeDatabaseAsync(env);
        var anchors = Path.Combine(env.Folder, "data", "anchors");
        if (Directory.Exists(anchors))
        {
            Directory.Delete(anchors, recursive: true);
        }
    }

    private static async Task WipeDatabaseAsync(CliEnvironment env)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(env.Database.SqlitePath)!, "ttp.db*"))
            {
                File.Delete(file);
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(env.Database.ConnectionString).Database;
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("TTP_TEST_POSTGRES"));
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountTablesAsync(CliEnvironment env)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite && !File.Exists(env.Database.SqlitePath))
        {
            return 0;
        }

        return await CountAsync(env, env.Database.Provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'");
    }

    private static async Task<long> CountAsync(CliEnvironment env, string sql)
    {
        System.Data.Common.DbConnection connection = env.Database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(env.Database.ConnectionString) { Pooling = false }.ToString())
            : new NpgsqlConnection(env.Database.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
