using System.Text.Json;
using Ttp.Cli.Tests.Admin;
using Ttp.Domain.Data;

namespace Ttp.Cli.Tests.Logging;

/// <summary>
/// The progress of <c>lmk rotate</c>, <c>audit verify</c> and <c>audit export</c> on standard error: shown with
/// <c>--progress</c> (as at a terminal; tests have none), never on stdout, and not shown otherwise when standard error is
/// not a terminal.
/// </summary>
public sealed class ProgressTests
{
    [Fact]
    public async Task LmkRotate_ProgressForced_LinesOnStderrJsonOnStdout()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var result = await env.OkAsync("lmk", "rotate", "--progress");

        var rewrapped = result.Json.GetProperty("envelopes_rewrapped").GetInt32();
        Assert.True(rewrapped > 0);
        Assert.Contains($"ttpctl: lmk rotate: {rewrapped} envelopes re-wrapped so far", result.Stderr, StringComparison.Ordinal);
        Assert.Matches($@"ttpctl: lmk rotate: {rewrapped} envelopes re-wrapped, done in \d+\.\d s", result.Stderr);
        Assert.DoesNotContain("lmk rotate:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_ProgressForced_DoneLineOnStderrWithTheCount()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var result = await env.OkAsync("audit", "verify", "--progress");

        var records = result.Json.GetProperty("record_count").GetInt64();
        Assert.Matches($@"^ttpctl: audit verify: {records} records verified, done in \d+\.\d s\r?\n$", result.Stderr);
    }

    [Fact]
    public async Task AuditExport_ProgressForced_DoneLineOnStderrCsvOnlyOnStdout()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        var plain = await env.OkAsync("audit", "export", "--format", "csv");

        var result = await env.OkAsync("audit", "export", "--format", "csv", "--progress");

        var rows = result.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.True(rows > 0);
        Assert.Matches($@"^ttpctl: audit export: {rows} records written, done in \d+\.\d s\r?\n$", result.Stderr);
        Assert.StartsWith("sequence,occurred_at,", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ttpctl:", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, plain.Stderr);
    }

    [Fact]
    public async Task LongCommands_StderrNotATerminal_NoProgress()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");

        var verify = await env.OkAsync("audit", "verify");
        var export = await env.OkAsync("audit", "export", "--format", "jsonl");

        Assert.Equal(string.Empty, verify.Stderr);
        Assert.Equal(string.Empty, export.Stderr);
        Assert.Equal(JsonValueKind.Object, verify.Json.ValueKind);
    }
}
