using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Ttp.Cli.Tests;

/// <summary>Runs <c>ttpctl</c>'s real entry point in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    public static Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => RunWithAsync(stdin, null, null, args);

    /// <summary>Runs with <paramref name="stdin"/>, a terminal when not null (standard input not redirected), and a log
    /// capture when not null.</summary>
    public static async Task<CliResult> RunWithAsync(string stdin, ISecretTerminal? terminal, ILoggerProvider? logs, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin);
        var exitCode = await TtpCli.RunAsync(args, stdout, stderr, input, terminal, logs);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
    }

    public string Field(params string[] path)
    {
        var element = Json;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.GetString() ?? throw new InvalidOperationException($"{string.Join('.', path)} is null");
    }

    /// <summary>A line of ttpctl's log on stderr at Warning or above (the default level): level, message, category and event id.</summary>
    public static readonly System.Text.RegularExpressions.Regex LogLine = new(@"^ttpctl: (warning|error|critical): .+ \[[\w.]+ \d+\]\r?$");

    /// <summary>Asserts the bad-input contract: exit 2, nothing on stdout, one line on stderr, no stack trace.</summary>
    public void AssertBadInput(params string[] expectedFragments) => AssertFailure(2, expectedFragments);

    /// <summary>Asserts exit <paramref name="exitCode"/>, nothing on stdout, one line on stderr naming the fragments.</summary>
    public void AssertFailure(int exitCode, params string[] expectedFragments) => AssertFailure(exitCode, allowStdout: false, expectedFragments);

    public void AssertFailure(int exitCode, bool allowStdout, params string[] expectedFragments)
    {
        Assert.True(exitCode == ExitCode, $"expected exit {exitCode}, got {ExitCode}; stderr: {Stderr}");
        if (!allowStdout)
        {
            Assert.Equal(string.Empty, Stdout);
        }

        // The error is one line, the last; before it only ttpctl's log lines (a warning or worse the run logged, e.g. the
        // integrity failure an audit verification names), each one line in the log's format.
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines[..^1], line => Assert.Matches(LogLine, line));
        lines = [lines[^1]];
        Assert.DoesNotMatch(LogLine, lines[0]);
        Assert.StartsWith("ttpctl: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Stderr, StringComparison.Ordinal);
        foreach (var fragment in expectedFragments)
        {
            Assert.Contains(fragment, lines[0], StringComparison.OrdinalIgnoreCase);
        }
    }
}
