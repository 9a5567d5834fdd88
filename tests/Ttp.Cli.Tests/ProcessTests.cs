using System.Diagnostics;

namespace Ttp.Cli.Tests;

/// <summary>The real <c>ttpctl</c> process: exit codes, streams and no stack trace, as a script sees them.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Ttpctl_BadHex_ExitsTwoWithOneStderrLineAndEmptyStdout()
    {
        var (exitCode, stdout, stderr) = await RunAsync("crypto", "kcv", "--algorithm", "tdes", "--key", "123");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("ttpctl: key: expected an even number of hex digits, found 3", line);
    }

    [Fact]
    public async Task Ttpctl_Help_ExitsZeroListingCryptoCommands()
    {
        var (exitCode, stdout, _) = await RunAsync("crypto", "--help");

        Assert.Equal(0, exitCode);
        foreach (var command in new[] { "diversify", "kcv", "scp02", "scp03", "keyblock", "components", "tlv" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        // ttpctl.dll is copied next to the tests with its runtimeconfig (project reference to an Exe).
        var dll = Path.Combine(AppContext.BaseDirectory, "ttpctl.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
