using System.Diagnostics;
using Ttp.Domain.Data;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// The real <c>ttpctl</c> process at a real (pseudo-)terminal: <c>--components-stdin</c> prompts for each component,
/// does not echo what is typed, shows each check value, and finishes on an empty line. Everything the terminal showed is
/// read back.
/// </summary>
public sealed class TerminalProcessTests
{
    private const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    private const string Component2 = "41620724CDEE8BA8B695F0D33A197C5F";

    // Runs the command in a pseudo-terminal; after each prompt (and a pause, as a person would take), types the next
    // line read from the script's standard input (comma-separated); prints everything the terminal showed; exits with the command's exit code.
    private const string PtyScript = """
        import os, pty, select, sys, time
        typed = sys.stdin.read().split(",")
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(sys.argv[1], sys.argv[1:])
        seen = b""
        def read(until, deadline):
            global seen
            while until is None or until not in seen:
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
                if not ready:
                    raise SystemExit("timeout waiting for %r; terminal showed %r" % (until, seen))
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    if until is None:
                        return
                    raise SystemExit("end of output waiting for %r; terminal showed %r" % (until, seen))
                seen += chunk
        deadline = time.time() + 120
        for number, line in enumerate(typed, start=1):
            read(b"Component %d (empty line to finish): " % number, deadline)
            time.sleep(0.5)
            os.write(fd, line.encode() + b"\r")
        read(None, deadline)
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(seen.decode("utf-8", "replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """;

    [Fact]
    public async Task IssuerKeyImport_AtATerminal_PromptsWithoutEchoShowsCheckValuesAndImports()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        var script = Path.Combine(env.Folder, "at-terminal.py");
        await File.WriteAllTextAsync(script, PtyScript);

        var (exitCode, shown) = await RunAtTerminalAsync(
            script, [Component1, Component2.ToLowerInvariant(), string.Empty],
            "issuer-key", "import", "--iin", "000001", "--kvn", "1", "--scheme", "scp02", "--method", "emv",
            "--sample-kdd", "00010203040506070809", "--sample-enc-kcv", "C33013", "--components-stdin", "--config", env.ConfigFile);

        Assert.True(exitCode == 0, $"exit {exitCode}; the terminal showed: {shown}");
        Assert.Contains("Component 1 (empty line to finish): ", shown, StringComparison.Ordinal);
        Assert.Contains("Component 3 (empty line to finish): ", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Component 4", shown, StringComparison.Ordinal);

        // Check values of the components by the BCL (the first three bytes of a zero block under 2-key TDES), and the
        // published one of the key (8BAF47, GlobalPlatformPro TestPlaintextKeys.java) in the JSON result.
        Assert.Contains($"Component 1 check value: {DesCheckValue(Component1)}", shown, StringComparison.Ordinal);
        Assert.Contains($"Component 2 check value: {DesCheckValue(Component2)}", shown, StringComparison.Ordinal);
        Assert.Contains("\"kcv\":\"8BAF47\"", shown, StringComparison.Ordinal);
        foreach (var component in new[] { Component1, Component2 })
        {
            Assert.False(shown.Contains(component[..8], StringComparison.OrdinalIgnoreCase), "the terminal echoed a typed component");
        }

        Assert.Equal("8BAF47", Assert.Single((await env.OkAsync("issuer-key", "list")).Json.EnumerateArray()).GetProperty("kcv").GetString());
    }

    private static async Task<(int ExitCode, string Shown)> RunAtTerminalAsync(string script, string[] typed, params string[] args)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ttpctl.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        await process.StandardInput.WriteAsync(string.Join(',', typed));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string DesCheckValue(string keyHex)
    {
#pragma warning disable CA5350 // SCP02 keys and their check values are TDES by definition.
        using var tdes = System.Security.Cryptography.TripleDES.Create();
#pragma warning restore CA5350
        var key = Convert.FromHexString(keyHex);
        tdes.Key = [.. key, .. key.AsSpan(0, 8)];
        return Convert.ToHexString(tdes.EncryptEcb(new byte[8], System.Security.Cryptography.PaddingMode.None)[..3]);
    }
}
