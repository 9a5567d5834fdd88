using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl audit</c> against a database writer: a cut tail, a wipe, a deleted signing key (exit 5 naming the cause);
/// the public key; and an export verified with the public key alone, by <c>verify-export</c> without any configuration.
/// </summary>
public sealed class AuditAnchorCommandTests
{
    private const string SigningKeyId = "a0d17000-0000-4000-8000-000000000003";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditVerify_LastRecordsDeletedAndHeadRewound_ExitFiveNamingTheCheckpointAndTheChainEnd(DatabaseProvider provider)
    {
        await using var env = await InstallationWithRecordsAsync(provider);
        var last = (await env.OkAsync("audit", "verify")).Json.GetProperty("last_sequence").GetInt64();
        var cut = last - 2;

        await ExecuteSqlAsync(env, $"DELETE FROM audit_events WHERE sequence > {cut}");
        await ExecuteSqlAsync(env, $"UPDATE audit_chain_head SET last_sequence = {cut}, last_hash = (SELECT hash FROM audit_events WHERE sequence = {cut})");
        var verify = await env.RunAsync("audit", "verify");

        verify.AssertFailure(5, allowStdout: true, string.Create(CultureInfo.InvariantCulture, $"checkpoint at sequence {last}, chain ends at {cut}"), "removed from the end");
        Assert.Equal("BehindCheckpoint", verify.Json.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditVerify_WholeTrailDeletedAndHeadReset_ExitFiveNamingTheWipe(DatabaseProvider provider)
    {
        await using var env = await InstallationWithRecordsAsync(provider);
        var last = (await env.OkAsync("audit", "verify")).Json.GetProperty("last_sequence").GetInt64();

        await ExecuteSqlAsync(env, "DELETE FROM audit_events");
        var zero = provider == DatabaseProvider.Sqlite ? "zeroblob(32)" : "decode(repeat('00', 32), 'hex')";
        await ExecuteSqlAsync(env, $"UPDATE audit_chain_head SET last_sequence = 0, last_hash = {zero}");
        var verify = await env.RunAsync("audit", "verify");

        verify.AssertFailure(5, allowStdout: true, $"checkpoint at sequence {last}, chain ends at 0", "the whole trail was deleted");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditVerify_SigningKeyRowDeleted_ExitFiveNamingItAndNoNewKey(DatabaseProvider provider)
    {
        await using var env = await InstallationWithRecordsAsync(provider);
        var id = provider == DatabaseProvider.Sqlite ? $"'{SigningKeyId.ToUpperInvariant()}'" : $"'{SigningKeyId}'";

        await ExecuteSqlAsync(env, $"DELETE FROM system_keys WHERE id = {id}");
        var verify = await env.RunAsync("audit", "verify");
        var init = await env.RunAsync("init");

        verify.AssertFailure(5, "AuditSigningKey", "is missing from the database", "holds checkpoints signed with it");
        init.AssertFailure(5, "AuditSigningKey");
        Assert.Equal(0, await CountAsync(env, $"SELECT COUNT(*) FROM system_keys WHERE id = {id}"));
    }

    [Fact]
    public async Task AuditPublicKey_PemAndFingerprintOfItsDerForm()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var json = await env.OkAsync("audit", "public-key");
        var pem = await env.OkAsync("audit", "public-key", "--pem");

        var text = json.Field("public_key");
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", text, StringComparison.Ordinal);
        Assert.Equal(text, pem.Stdout);
        using var key = ECDsa.Create();
        key.ImportFromPem(text);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), json.Field("fingerprint_sha256"));
        Assert.Equal(json.Field("fingerprint_sha256"), (await env.OkAsync("init")).Field("audit_signing_key"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task VerifyExport_NoConfigurationAtAll_IntactExportVerifiesKeptCheckpointMatches(DatabaseProvider provider)
    {
        await using var env = await InstallationWithRecordsAsync(provider);
        var (export, key) = await ExportAsync(env);
        var kept = Path.Combine(env.Folder, "kept.jsonl");
        await File.WriteAllTextAsync(kept, (await env.OkAsync("audit", "checkpoint")).Stdout);

        // No --config: the run reads no configuration and opens no database and no LMK.
        var result = await CliRunner.RunAsync("audit", "verify-export", "--export", export, "--public-key", key, "--checkpoint", kept);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(result.Json.GetProperty("is_valid").GetBoolean());
        Assert.Equal(1, result.Json.GetProperty("kept_checkpoints_matched").GetInt32());
        Assert.True(result.Json.GetProperty("records_verified").GetInt64() >= 4);
    }

    public static TheoryData<string, string> Edits() => new()
    {
        { "altered", "does not match its hash" },
        { "removed", "is missing: removed from the export" },
        { "appended", "not covered by a checkpoint" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task VerifyExport_RecordAlteredRemovedOrAppended_ExitFiveNamingTheRecord(string edit, string expected)
    {
        await using var env = await InstallationWithRecordsAsync(DatabaseProvider.Sqlite);
        var (export, key) = await ExportAsync(env);
        var lines = (await File.ReadAllLinesAsync(export)).ToList();
        var record = lines.FindIndex(1, l => l.StartsWith("{\"sequence\":2,", StringComparison.Ordinal));
        switch (edit)
        {
            case "altered":
                lines[record] = lines[record].Replace("\"actor\":\"", "\"actor\":\"x", StringComparison.Ordinal);
                break;
            case "removed":
                // The record and the checkpoint that follows it.
                lines.RemoveRange(record, lines[record + 1].StartsWith("{\"checkpoint\":", StringComparison.Ordinal) ? 2 : 1);
                break;
            default:
                lines.Add(NextRecord(lines.Last(l => l.StartsWith("{\"sequence\":", StringComparison.Ordinal))));
                break;
        }

        await File.WriteAllLinesAsync(export, lines);
        var result = await CliRunner.RunAsync("audit", "verify-export", "--export", export, "--public-key", key);

        result.AssertFailure(5, allowStdout: true, expected);
    }

    [Fact]
    public async Task VerifyExport_RealProcessInAnEmptyDirectoryWithABrokenConfiguration_VerifiesAndCreatesNothing()
    {
        await using var env = await InstallationWithRecordsAsync(DatabaseProvider.Sqlite);
        var (export, key) = await ExportAsync(env);
        var empty = Directory.CreateTempSubdirectory("ttp-auditor-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = empty, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ttpctl.dll"), "audit", "verify-export", "--export", export, "--public-key", key })
            {
                start.ArgumentList.Add(arg);
            }

            // Settings that would fail any use of a database or an LMK.
            start.Environment["Ttp__Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Ttp"] = "Host=192.0.2.1;Port=1;Timeout=1;Database=none";
            start.Environment["Ttp__Lmk__FilePath"] = "/nonexistent/lmk.key";
            start.Environment["Ttp__DataDirectory"] = Path.Combine(empty, "data");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Contains("\"is_valid\":true", await stdout, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    // A record after the given one with the right SHA-256 chain hash, which anyone can compute.
    private static string NextRecord(string previousLine)
    {
        using var previous = JsonDocument.Parse(previousLine);
        var record = new AuditEvent
        {
            Sequence = previous.RootElement.GetProperty("sequence").GetInt64() + 1,
            OccurredAt = new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero),
            Stream = AuditStream.StaffAction,
            Action = "tsm.approved",
            Actor = "user:ops.b@ttp.test",
            Subject = "tsm:mallory",
            Outcome = "ok",
            Details = "{}",
        };
        var hash = SHA256.HashData([.. Convert.FromHexString(previous.RootElement.GetProperty("hash").GetString()!), .. AuditHash.GetCanonicalBytes(record)]);
        return $"{{\"sequence\":{record.Sequence},\"occurred_at\":\"2026-12-24T00:00:00.000000Z\",\"stream\":\"StaffAction\",\"action\":\"tsm.approved\"," +
            $"\"actor\":\"user:ops.b@ttp.test\",\"subject\":\"tsm:mallory\",\"outcome\":\"ok\",\"details\":\"{{}}\",\"hash\":\"{Convert.ToHexStringLower(hash)}\"}}";
    }

    private static async Task<CliEnvironment> InstallationWithRecordsAsync(DatabaseProvider provider)
    {
        var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var add = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "--email", "ops.a@ttp.test", "--role", "Operator", "--password-stdin");
        Assert.True(add.ExitCode == 0, add.Stderr);
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        var approved = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "tsm", "approve", "--name", "acme", "--approver", "ops.a@ttp.test", "--password-stdin");
        Assert.True(approved.ExitCode == 0, approved.Stderr);
        return env;
    }

    // The export (jsonl) and the public key (PEM) as files, as an auditor receives them.
    private static async Task<(string Export, string Key)> ExportAsync(CliEnvironment env)
    {
        var export = Path.Combine(env.Folder, "export.jsonl");
        var key = Path.Combine(env.Folder, "audit-signing-key.pem");
        await File.WriteAllTextAsync(export, (await env.OkAsync("audit", "export", "--format", "jsonl")).Stdout);
        await File.WriteAllTextAsync(key, (await env.OkAsync("audit", "public-key", "--pem")).Stdout);
        return (export, key);
    }

    private static async Task ExecuteSqlAsync(CliEnvironment env, string sql)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(env.Database.ConnectionString + ";Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var postgres = new NpgsqlConnection(env.Database.ConnectionString);
        await postgres.OpenAsync();
        await using var pgCommand = new NpgsqlCommand(sql, postgres);
        await pgCommand.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(CliEnvironment env, string sql)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(env.Database.ConnectionString + ";Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        await using var postgres = new NpgsqlConnection(env.Database.ConnectionString);
        await postgres.OpenAsync();
        await using var pgCommand = new NpgsqlCommand(sql, postgres);
        return Convert.ToInt64(await pgCommand.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
