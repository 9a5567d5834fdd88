using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl</c> administration end to end (real database, real file LMK), on SQLite and on PostgreSQL.
/// Keys are the GlobalPlatform default test key and published vectors, entered as two components.
/// </summary>
public sealed class AdminCommandTests
{
    // GlobalPlatform default test key; its published DES check value is 8BAF47 (GlobalPlatformPro TestPlaintextKeys.java).
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";
    private const string DefaultKeyKcv = "8BAF47";
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_EMV_SCP02: KDD 00010203040506070809,
    // ENC check value C33013 under the default key.
    private const string SampleKdd = "00010203040506070809";
    private const string SampleEncKcv = "C33013";

    private static readonly string Component2 = XorHex(Component1, DefaultKey);

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Init_RunTwice_IsIdempotentAndCreatesPrivateLmkFile(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);

        var first = await env.OkAsync("init");
        var second = await env.OkAsync("init");

        Assert.Equal(first.Field("lmk", "id"), second.Field("lmk", "id"));
        Assert.True(first.Json.GetProperty("lmk").GetProperty("software").GetBoolean());
        var lmkFile = Path.Combine(env.Folder, "data", "lmk.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lmkFile));
        Assert.Equal(32, new FileInfo(lmkFile).Length);
    }

    [Fact]
    public async Task AnyCommand_WhereNoInstallation_RefusedCreatingNothingUntilInit()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(env.Database.SqlitePath)!, "ttp.db*"))
        {
            File.Delete(file);
        }

        var refused = await env.RunAsync("tsm", "list");
        var createdByRefusal = File.Exists(env.Database.SqlitePath);
        await env.OkAsync("init");
        var list = await env.OkAsync("tsm", "list");

        refused.AssertFailure(4, $"no installation in {env.Database.SqlitePath}", "ttpctl init");
        Assert.False(createdByRefusal, "a refused command created the database");
        Assert.Equal("[]", list.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TsmLifecycle_AddApproveSuspendReinstateRevoke_AuditedAndVerified(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await AddUserAsync(env, "ops.a@ttp.test", "Operator");
        await AddUserAsync(env, "audit@ttp.test", "Auditor");
        var certificate = TestCertificates.WriteClientCertificate(env.Folder, "acme");

        var added = await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", certificate, "--organisation", "ACME", "--issuer", "a0000001");
        Assert.Equal("PendingApproval", added.Field("state"));
        Assert.Equal("A0000001", added.Json.GetProperty("issuers")[0].GetString());

        (await ApproveAsync(env, "acme", "audit@ttp.test")).AssertFailure(3, "not an active Operator");
        (await ApproveAsync(env, "acme", "nobody@ttp.test")).AssertFailure(3, "nobody@ttp.test could not be authenticated");
        (await ApproveAsync(env, "acme", "ops.a@ttp.test", "Wrong-Password-123")).AssertFailure(3, "wrong password");
        (await env.RunAsync("tsm", "approve", "--name", "acme", "--approver", "ops.a@ttp.test")).AssertFailure(2, "--password-stdin");
        (await env.RunAsync("tsm", "suspend", "--name", "acme", "--reason", "test")).AssertFailure(3, "PendingApproval");

        var approved = await ApproveAsync(env, "acme", "ops.a@ttp.test");
        Assert.Equal(0, approved.ExitCode);
        Assert.Equal("Active", approved.Field("state"));
        Assert.Equal("user:ops.a@ttp.test", approved.Field("approved_by"));
        Assert.Equal("Suspended", (await env.OkAsync("tsm", "suspend", "--name", "acme", "--reason", "contract review")).Field("state"));

        // Reinstatement widens access: proposed here, in effect once a second Operator approves with their password.
        Assert.Equal("Suspended", (await env.OkAsync("tsm", "reinstate", "--name", "acme", "--reason", "review done")).Field("state"));
        var change = Assert.Single((await env.OkAsync("tsm", "changes", "--name", "acme")).Json.EnumerateArray());
        Assert.Equal("reinstate: review done", change.GetProperty("summary").GetString());
        var reinstated = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "tsm", "change-approve", "--id", change.GetProperty("id").GetString()!, "--approver", "ops.a@ttp.test", "--password-stdin");
        Assert.True(reinstated.ExitCode == 0, reinstated.Stderr);
        Assert.Equal("Active", reinstated.Field("state"));
        Assert.Equal("Revoked", (await env.OkAsync("tsm", "revoke", "--name", "acme", "--reason", "contract ended")).Field("state"));
        Assert.Equal(2, await CountAsync(env, "SELECT COUNT(*) FROM audit_events WHERE action = 'user.approver-refused'"));

        var list = await env.OkAsync("tsm", "list");
        Assert.Equal("Revoked", Assert.Single(list.Json.EnumerateArray()).GetProperty("state").GetString());
        var verify = await env.OkAsync("audit", "verify");
        Assert.True(verify.Json.GetProperty("is_valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TsmRejectScopeAndRotation_SameRulesAsThePortal_Audited(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await AddUserAsync(env, "ops.a@ttp.test", "Operator");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"), "--issuer", "A0000001");
        await env.OkAsync("tsm", "add", "--name", "globex", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "globex"), "--issuer", "A0000001");

        var rejected = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "tsm", "reject", "--name", "globex", "--approver", "ops.a@ttp.test", "--reason", "unknown company", "--password-stdin");
        Assert.Equal("Rejected", rejected.Field("state"));
        Assert.Equal(0, (await ApproveAsync(env, "acme", "ops.a@ttp.test")).ExitCode);

        // The added issuer is proposed; the lower rate applies at once.
        var scoped = await env.OkAsync("tsm", "scope", "--name", "acme", "--issuer", "a0000002", "--issuer", "A0000001", "--rate-limit", "25");
        Assert.Equal(["A0000001"], scoped.Json.GetProperty("issuers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(25, scoped.Json.GetProperty("rate_limit_per_second").GetDouble());
        Assert.Equal("add issuers A0000002", Assert.Single((await env.OkAsync("tsm", "changes")).Json.EnumerateArray()).GetProperty("summary").GetString());
        await ApproveChangesAsync(env, "acme");
        var listed = Assert.Single((await env.OkAsync("tsm", "list")).Json.EnumerateArray(), t => t.GetProperty("name").GetString() == "acme");
        Assert.Equal(["A0000001", "A0000002"], listed.GetProperty("issuers").EnumerateArray().Select(e => e.GetString()).Order());
        (await env.RunAsync("tsm", "scope", "--name", "acme", "--issuer", "A00G")).AssertFailure(2, "A00G");

        // Rotation: the only current certificate cannot be retired before its successor is added.
        var old = Assert.Single(scoped.Json.GetProperty("certificates").EnumerateArray()).GetProperty("sha256_thumbprint").GetString()!;
        (await env.RunAsync("tsm", "certificate-retire", "--name", "acme", "--thumbprint", old)).AssertFailure(3, "successor");
        var rotated = await env.OkAsync("tsm", "certificate-add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme-2027"));
        Assert.Equal(1, rotated.Json.GetProperty("certificates").GetArrayLength());
        await ApproveChangesAsync(env, "acme");
        var at = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var retiring = await env.OkAsync("tsm", "certificate-retire", "--name", "acme", "--thumbprint", old, "--at", at);
        Assert.Contains(retiring.Json.GetProperty("certificates").EnumerateArray(), c => c.GetProperty("sha256_thumbprint").GetString() == old && c.TryGetProperty("retired_at", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String);
        (await env.RunAsync("tsm", "certificate-retire", "--name", "acme", "--thumbprint", old, "--at", "next tuesday")).AssertFailure(2, "--at");

        var verify = await env.OkAsync("audit", "verify");
        Assert.True(verify.Json.GetProperty("is_valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TsmAdd_SameCertificateTwice_RefusedNamingOwner(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var certificate = TestCertificates.WriteClientCertificate(env.Folder, "acme");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", certificate);

        var second = await env.RunAsync("tsm", "add", "--name", "other", "--certificate", certificate);

        second.AssertFailure(3, "already registered to TSM 'acme'");
    }

    [Fact]
    public async Task TsmAdd_ServerOnlyOrWeakCertificate_Refused()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var serverOnly = await env.RunAsync("tsm", "add", "--name", "a", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "a", clientAuth: false));
        var weak = await env.RunAsync("tsm", "add", "--name", "b", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "b", rsaBits: 1024));

        serverOnly.AssertFailure(3, "clientAuth");
        weak.AssertFailure(3, "1024 bits");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task KekImport_TwoComponents_PrintsFinalCheckValue(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));

        var kek = await env.OkWithComponentsAsync([Component1, Component2.ToLowerInvariant()], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2");

        Assert.Equal(DefaultKeyKcv, kek.Field("kcv"));
        Assert.Equal("Tr31", kek.Field("format"));
        var list = await env.OkAsync("kek", "list", "--tsm", "acme");
        Assert.Equal(DefaultKeyKcv, Assert.Single(list.Json.EnumerateArray()).GetProperty("kcv").GetString());
        (await env.RunWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2"))
            .AssertFailure(3, "index 1");
    }

    [Fact]
    public async Task KekImport_BadComponents_ExitTwoNamingComponent()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));

        (await env.RunWithComponentsAsync([Component1], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2"))
            .AssertFailure(2, "at least 2");
        (await env.RunWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "aes256"))
            .AssertFailure(2, "line 1", "32 bytes");
        (await env.RunWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "nobody", "--index", "1", "--algorithm", "tdes2"))
            .AssertFailure(4, "nobody");
    }

    [Fact]
    public async Task KekGenerate_ThreeComponents_WritesPrivateSheetsThatCombineToTheKek()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        var outDir = Path.Combine(env.Folder, "sheets");

        var generated = await env.OkAsync("kek", "generate", "--tsm", "acme", "--index", "2", "--algorithm", "aes256", "--components", "3", "--out-dir", outDir);

        var files = generated.Json.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(3, files.Length);
        var components = new List<string>();
        foreach (var file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var line = File.ReadAllLines(file).Single(l => l.StartsWith("Component:", StringComparison.Ordinal));
            components.Add(line["Component:".Length..].Trim());
        }

        var combined = await CliRunner.RunAsync(
            "crypto", "components", "combine", "--algorithm", "aes",
            "--component", components[0], "--component", components[1], "--component", components[2]);
        Assert.Equal(generated.Field("kek", "kcv"), combined.Field("kcv"));
        Assert.DoesNotContain(combined.Field("key"), generated.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task IssuerKey_ImportWithPublishedSample_ActivatesAndCannotBeReimported(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");

        var imported = await ImportIssuerKeyAsync(env, "000001", 1, SampleEncKcv);
        Assert.Equal(DefaultKeyKcv, imported.Field("kcv"));
        Assert.Equal("PendingActivation", imported.Field("state"));

        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
        Assert.Equal("Suspended", (await env.OkAsync("issuer-key", "suspend", "--iin", "000001", "--kvn", "1")).Field("state"));
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "reinstate", "--iin", "000001", "--kvn", "1")).Field("state"));
        Assert.Equal("Retired", (await env.OkAsync("issuer-key", "retire", "--iin", "000001", "--kvn", "1")).Field("state"));
        (await ImportIssuerKeyRawAsync(env, "000001", 1, SampleEncKcv)).AssertFailure(3, "KVN 1");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task IssuerKeyActivate_SampleDoesNotMatch_RefusedAndStaysPending(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await ImportIssuerKeyAsync(env, "000002", 1, "6F4CA6");

        var activation = await env.RunAsync("issuer-key", "activate", "--iin", "000002", "--kvn", "1");

        activation.AssertFailure(3, "known-answer sample does not match");
        var list = await env.OkAsync("issuer-key", "list");
        Assert.Equal("PendingActivation", Assert.Single(list.Json.EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ComponentImport_SwitchedOff_RefusedWithExitThreeNamingTheCeremoniesPage()
    {
        await using var env = await CliEnvironment.CreateAsync(
            DatabaseProvider.Sqlite, new() { ["Cli"] = new Dictionary<string, object> { ["AllowComponentImport"] = false } });
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        const string Message =
            "ttpctl: component import from the command line is disabled in this installation (Ttp:Cli:AllowComponentImport=false); run a key ceremony in the portal at /ceremonies";

        var issuerKey = await ImportIssuerKeyRawAsync(env, "000003", 1, SampleEncKcv);
        var kek = await env.RunWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2");

        issuerKey.AssertFailure(3, "AllowComponentImport=false", "/ceremonies");
        Assert.Equal(Message, issuerKey.Stderr.Trim());
        kek.AssertFailure(3, "AllowComponentImport=false", "/ceremonies");
        Assert.Equal(Message, kek.Stderr.Trim());
        Assert.Equal(0, (await env.OkAsync("kek", "list", "--tsm", "acme")).Json.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Database_AfterImports_HoldsNoClearKeyBytes(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        await env.OkWithComponentsAsync([Component1, Component2], "kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2");
        await ImportIssuerKeyAsync(env, "000001", 1, SampleEncKcv);
        await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1");

        var contents = await ReadWholeDatabaseAsync(env);

        Assert.True(contents.Length > 1000, "the database dump should not be empty");
        foreach (var secret in new[] { DefaultKey, Component1, Component2 })
        {
            var bytes = Convert.FromHexString(secret);
            Assert.True(IndexOf(contents, bytes) < 0, "a clear key or component was found as raw bytes");
            Assert.True(IndexOf(contents, Encoding.ASCII.GetBytes(secret)) < 0, "a clear key or component was found as upper-case hex");
            Assert.True(IndexOf(contents, Encoding.ASCII.GetBytes(secret.ToLowerInvariant())) < 0, "a clear key or component was found as lower-case hex");
        }

        Assert.True(IndexOf(contents, Encoding.ASCII.GetBytes(DefaultKeyKcv)) >= 0, "the check value (public) should be stored");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Envelope_CopiedOntoAnotherRecord_FailsToOpenWithExitFive(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await ImportIssuerKeyAsync(env, "000001", 1, SampleEncKcv);
        await ImportIssuerKeyAsync(env, "000001", 2, SampleEncKcv);

        await ExecuteSqlAsync(env,
            "UPDATE issuer_key_sets SET envelope_wrapped_key = (SELECT envelope_wrapped_key FROM issuer_key_sets WHERE kvn = 1), " +
            "envelope_payload = (SELECT envelope_payload FROM issuer_key_sets WHERE kvn = 1) WHERE kvn = 2");
        var activation = await env.RunAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "2");

        activation.AssertFailure(5, "envelope");
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditVerify_OneRowChanged_ExitFiveNamingThatRow(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await AddUserAsync(env, "ops.a@ttp.test", "Operator");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        Assert.Equal(0, (await ApproveAsync(env, "acme", "ops.a@ttp.test")).ExitCode);
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());

        await ExecuteSqlAsync(env, "UPDATE audit_events SET actor = 'cli:mallory' WHERE sequence = 2");
        var verify = await env.RunAsync("audit", "verify");

        verify.AssertFailure(5, allowStdout: true, "record 2");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LmkRotate_AfterImports_KeysStillOpenUnderNewLmk(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        var before = (await env.OkAsync("init")).Field("lmk", "id");
        await ImportIssuerKeyAsync(env, "000001", 1, SampleEncKcv);

        await env.OkAsync("lmk", "rotate");

        var after = (await env.OkAsync("init")).Field("lmk", "id");
        Assert.NotEqual(before, after);
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
        Assert.True((await env.OkAsync("audit", "verify")).Json.GetProperty("is_valid").GetBoolean());
    }

    private static Task<CliResult> ApproveAsync(CliEnvironment env, string tsm, string approver, string password = "Correct-Horse-Battery-9") =>
        env.RunWithInputAsync(password + "\n", "tsm", "approve", "--name", tsm, "--approver", approver, "--password-stdin");

    // Approves every pending change of a TSM as ops.a (the proposer is the command line's own OS user, not ops.a).
    private static async Task ApproveChangesAsync(CliEnvironment env, string tsm)
    {
        foreach (var change in (await env.OkAsync("tsm", "changes", "--name", tsm)).Json.EnumerateArray())
        {
            var approved = await env.RunWithInputAsync(
                "Correct-Horse-Battery-9\n", "tsm", "change-approve", "--id", change.GetProperty("id").GetString()!, "--approver", "ops.a@ttp.test", "--password-stdin");
            Assert.True(approved.ExitCode == 0, approved.Stderr);
        }
    }

    private static async Task AddUserAsync(CliEnvironment env, string email, string role)
    {
        var result = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "--email", email, "--role", role, "--password-stdin");
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    private static async Task<CliResult> ImportIssuerKeyAsync(CliEnvironment env, string iin, int kvn, string sampleKcv)
    {
        var result = await ImportIssuerKeyRawAsync(env, iin, kvn, sampleKcv);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result;
    }

    private static Task<CliResult> ImportIssuerKeyRawAsync(CliEnvironment env, string iin, int kvn, string sampleKcv) =>
        env.RunWithComponentsAsync(
            [Component1, Component2],
            "issuer-key", "import", "--iin", iin, "--kvn", kvn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--scheme", "scp02", "--method", "emv", "--sample-kdd", SampleKdd, "--sample-enc-kcv", sampleKcv);

    private static async Task<long> CountAsync(CliEnvironment env, string sql)
    {
        System.Data.Common.DbConnection connection = env.Database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(env.Database.ConnectionString)
            : new NpgsqlConnection(env.Database.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task ExecuteSqlAsync(CliEnvironment env, string sql)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            // A separate connection, as the sqlite3 shell would do.
            await using var connection = new SqliteConnection(env.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        else
        {
            await using var connection = new NpgsqlConnection(env.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    // SQLite: every file of the database (main file, WAL, shared memory) byte for byte. PostgreSQL: every row of every
    // table as text (bytea renders as hex).
    private static async Task<byte[]> ReadWholeDatabaseAsync(CliEnvironment env)
    {
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            var path = env.Database.SqlitePath!;
            using var all = new MemoryStream();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                all.Write(bytes);
            }

            return all.ToArray();
        }

        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(env.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static string XorHex(string a, string b) =>
        Convert.ToHexString(Convert.FromHexString(a).Zip(Convert.FromHexString(b), (x, y) => (byte)(x ^ y)).ToArray());
}
