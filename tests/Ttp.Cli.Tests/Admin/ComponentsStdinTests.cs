using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Cli.Tests.Infrastructure;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// Key components reach <c>issuer-key import</c> and <c>kek import</c> only through <c>--components-stdin</c> (issue 9,
/// item 6): never as arguments, checked line by line before anything is combined, and found afterwards in no output, log
/// or audit record. On SQLite and PostgreSQL.
/// </summary>
public sealed class ComponentsStdinTests
{
    // GlobalPlatform default test key 404142...4F as two components; its DES check value 8BAF47 is published
    // (GlobalPlatformPro TestPlaintextKeys.java), and the issuer sample (KDD 00010203040506070809, ENC check value
    // C33013) comes from the same file, testDiversification_EMV_SCP02.
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";
    private const string DefaultKeyKcv = "8BAF47";
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    private const string Component2 = "41620724CDEE8BA8B695F0D33A197C5F";

    private static readonly string[] Secrets = [DefaultKey, Component1, Component2];

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    public static TheoryData<string, string> RemovedOptionForms => new()
    {
        { "issuer-key", "--component" },
        { "kek", "--component" },
        { "issuer-key", "--component=" },
        { "kek", "--component=" },
    };

    [Theory]
    [MemberData(nameof(RemovedOptionForms))]
    public async Task ComponentOption_Removed_ExitTwoUnknownOptionWithoutTheValue(string command, string form)
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        string[] components = form.EndsWith('=')
            ? [form + Component1, form + Component2]
            : [form, Component1, form, Component2];

        var result = await env.RunAsync([.. ImportArguments(command), .. components, "--components-stdin"]);

        result.AssertBadInput("unrecognized command or argument '--component'");
        AssertNoSecret(result.Stdout + result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ComponentsStdin_BothCommands_ImportPrintingTheCheckValueAndTheKeyIsUsable(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));

        // Blank lines, surrounding whitespace, CRLF and lower case are accepted.
        var issuer = await env.RunWithInputAsync(
            $"\n  {Component1.ToLowerInvariant()}  \r\n\n\t{Component2}\r\n\n",
            [.. ImportArguments("issuer-key"), "--components-stdin"]);
        var kek = await env.RunWithInputAsync($"{Component1}\n{Component2}", [.. ImportArguments("kek"), "--components-stdin"]);

        Assert.True(issuer.ExitCode == 0, issuer.Stderr);
        Assert.True(kek.ExitCode == 0, kek.Stderr);
        Assert.Equal(string.Empty, issuer.Stderr + kek.Stderr);
        Assert.Equal(DefaultKeyKcv, issuer.Field("kcv"));
        Assert.Equal(DefaultKeyKcv, kek.Field("kcv"));

        // Activation derives the ENC key of the published sample from the stored key: the combined key is the right one.
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
        var listed = Assert.Single((await env.OkAsync("kek", "list", "--tsm", "acme")).Json.EnumerateArray());
        Assert.Equal((DefaultKeyKcv, 1, "Active"), (listed.GetProperty("kcv").GetString(), listed.GetProperty("version").GetInt32(), listed.GetProperty("state").GetString()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ComponentsStdin_BadLines_ExitTwoNamingTheLineWithoutTheValueAndNothingImported(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        await env.OkAsync("tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        var ten = string.Join('\n', Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? Component1 : Component2));
        var cases = new (string Command, string Input, string[] Expected)[]
        {
            ("issuer-key", $"{Component1}\n{Component2[..31]}\n", ["--components-stdin line 2", "even number of hex digits"]),
            ("kek", $"{Component1}\n\n{Component2[..30]}G1\n", ["--components-stdin line 3", "hex digits 0-9 A-F", "position 31"]),
            ("issuer-key", $"{Component1}\n{Component2[..16]}\n", ["--components-stdin line 2", "16 bytes", "found 8 bytes"]),
            ("kek", $"{Component1}{Component2}\n{Component2}\n", ["--components-stdin line 1", "16 bytes", "found 32 bytes"]),
            ("issuer-key", $"{Component1}\n", ["--components-stdin", "at least 2 components", "found 1"]),
            ("kek", "\n\n", ["--components-stdin", "at least 2 components", "found 0"]),
            ("issuer-key", ten + "\n", ["--components-stdin line 10", "at most 9 components"]),
            ("issuer-key-scp03", $"{DefaultKey}{DefaultKey}\n{Component2}\n", ["--components-stdin line 2", "32 bytes like the first component", "found 16 bytes"]),
            ("kek", $"{Component1}\n{new string('0', 300)}\n", ["--components-stdin line 2", "longer than 256 characters"]),
        };

        foreach (var (command, input, expected) in cases)
        {
            var result = await env.RunWithInputAsync(input, [.. ImportArguments(command), "--components-stdin"]);

            result.AssertBadInput(expected);
            AssertNoSecret(result.Stderr);
        }

        Assert.Equal("[]", (await env.OkAsync("issuer-key", "list")).Stdout.Trim());
        Assert.Equal("[]", (await env.OkAsync("kek", "list", "--tsm", "acme")).Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ComponentsStdin_AfterImports_ComponentsNowhereInOutputsLogsOrAuditRecords(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        using var logs = new LogCapture();
        var outputs = new StringBuilder();
        async Task<CliResult> Run(string stdin, params string[] args)
        {
            var result = await env.RunWithAsync(stdin, null, logs, args);
            outputs.Append(result.Stdout).Append(result.Stderr);
            Assert.True(result.ExitCode == 0, $"ttpctl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
            return result;
        }

        await Run(string.Empty, "init");
        await Run(string.Empty, "tsm", "add", "--name", "acme", "--certificate", TestCertificates.WriteClientCertificate(env.Folder, "acme"));
        await Run($"{Component1}\n{Component2}\n", [.. ImportArguments("kek"), "--components-stdin"]);
        await Run($"{Component1.ToLowerInvariant()}\n{Component2.ToLowerInvariant()}\n", [.. ImportArguments("issuer-key"), "--components-stdin"]);
        await Run(string.Empty, "issuer-key", "activate", "--iin", "000001", "--kvn", "1");
        await Run(string.Empty, "audit", "verify");
        await Run(string.Empty, "audit", "export", "--format", "jsonl");
        var audit = await ReadAuditRecordsAsync(env);

        // The captures hold what they should (else the absence below would prove nothing): the imports' audit records
        // with their check values, and the runs' log lines.
        Assert.Contains("issuer-key.imported", audit, StringComparison.Ordinal);
        Assert.Contains("kek.imported", audit, StringComparison.Ordinal);
        Assert.Contains(DefaultKeyKcv, audit, StringComparison.Ordinal);
        Assert.Contains("issuer-key.imported", outputs.ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains("Ttp.Domain.KeyStore.FileLmkProvider [4101]", StringComparison.Ordinal));
        AssertNoSecret(outputs.ToString());
        AssertNoSecret(logs.Text);
        AssertNoSecret(audit);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ComponentsStdin_AtATerminal_PromptsForEachShowsItsCheckValueAndFinishesOnAnEmptyLine(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        var terminal = new ScriptedTerminal(Component1, " " + Component2.ToLowerInvariant() + " ", string.Empty);

        // Standard input holds something else: at a terminal, the components come from the prompts only.
        var result = await env.RunWithAsync("not read\n", terminal, null, [.. ImportArguments("issuer-key"), "--components-stdin"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(DefaultKeyKcv, result.Field("kcv"));
        Assert.Equal(
            ["Component 1 (empty line to finish): ", "Component 2 (empty line to finish): ", "Component 3 (empty line to finish): "],
            terminal.Prompts);
        Assert.Equal([$"Component 1 check value: {DesCheckValue(Component1)}", $"Component 2 check value: {DesCheckValue(Component2)}"], terminal.Shown);
        AssertNoSecret(string.Join('\n', terminal.Shown) + result.Stdout + result.Stderr);
        Assert.Equal("Active", (await env.OkAsync("issuer-key", "activate", "--iin", "000001", "--kvn", "1")).Field("state"));
    }

    [Fact]
    public async Task ComponentsStdin_AtATerminal_BadOrTooFewOrTooManyComponents_ExitTwoNamingTheComponent()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var bad = new ScriptedTerminal(Component1, Component2[..31]);
        var one = new ScriptedTerminal(Component1, string.Empty);
        var nine = new ScriptedTerminal([.. Enumerable.Range(0, 9).Select(i => i % 2 == 0 ? Component1 : Component2), Component1]);
        var badResult = await env.RunWithAsync(string.Empty, bad, null, [.. ImportArguments("issuer-key"), "--components-stdin"]);
        var oneResult = await env.RunWithAsync(string.Empty, one, null, [.. ImportArguments("issuer-key"), "--components-stdin"]);
        var nineResult = await env.RunWithAsync(string.Empty, nine, null, [.. ImportArguments("issuer-key"), "--components-stdin"]);

        badResult.AssertBadInput("component 2", "even number of hex digits");
        oneResult.AssertBadInput("at least 2 components", "found 1");
        AssertNoSecret(badResult.Stderr + oneResult.Stderr);

        // Nine is the most: the ninth ends the prompts (a tenth is never asked for), and the nine combine to the key
        // (five times Component1, four times Component2: Component1 once more than Component2, i.e. Component1).
        Assert.True(nineResult.ExitCode == 0, nineResult.Stderr);
        Assert.Equal(9, nine.Prompts.Count);
        Assert.Equal(DesCheckValue(Component1), nineResult.Field("kcv"));
    }

    private static string[] ImportArguments(string command) => command switch
    {
        "kek" => ["kek", "import", "--tsm", "acme", "--index", "1", "--algorithm", "tdes2"],
        "issuer-key-scp03" => ["issuer-key", "import", "--iin", "000001", "--kvn", "2", "--scheme", "scp03", "--method", "kdf3"],
        _ => ["issuer-key", "import", "--iin", "000001", "--kvn", "1", "--scheme", "scp02", "--method", "emv",
            "--sample-kdd", "00010203040506070809", "--sample-enc-kcv", "C33013"],
    };

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), "a key component (or the key) was found in the text");
            Assert.False(text.Contains(secret[..16], StringComparison.OrdinalIgnoreCase), "half a key component (or of the key) was found in the text");
        }
    }

    // The DES check value of a 2-key TDES key by the BCL (as K1 K2 K1): the first three bytes of a zero block encrypted.
    private static string DesCheckValue(string keyHex)
    {
#pragma warning disable CA5350 // SCP02 keys and their check values are TDES by definition.
        using var tdes = TripleDES.Create();
#pragma warning restore CA5350
        var key = Convert.FromHexString(keyHex);
        tdes.Key = [.. key, .. key.AsSpan(0, 8)];
        return Convert.ToHexString(tdes.EncryptEcb(new byte[8], PaddingMode.None)[..3]);
    }

    // Every audit record as text: each column of audit_events (bytes as hex).
    private static async Task<string> ReadAuditRecordsAsync(CliEnvironment env)
    {
        var text = new StringBuilder();
        if (env.Database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(env.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM audit_events ORDER BY sequence";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    text.Append(value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(env.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT t::text FROM audit_events t ORDER BY sequence", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return text.ToString();
    }
}
