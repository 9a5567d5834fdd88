using System.Diagnostics;
using Ttp.Tests.Shared;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// scripts/demo.sh, the README's walk-through unattended, with the programs this test run built: ttpctl bootstraps a TTP,
/// the portal starts, two simulated cards (SCP02 and SCP03) are provisioned by ttp-tsm, and it exits 0 only when both were
/// rotated and the audit trail verifies.
/// </summary>
public sealed class DemoScriptTests
{
    [Fact]
    public async Task Demo_Unattended_RotatesBothCardsAndExitsZero()
    {
        var root = Repository.Root;
        var configuration = Repository.Configuration;
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "demo.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
            Environment = { ["NO_BUILD"] = "1", ["CONFIGURATION"] = configuration },
        };
        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var error = demo.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await demo.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            demo.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output + await error;
        Assert.True(demo.ExitCode == 0, text);
        Assert.Contains("== 2 of 2 cards rotated", text, StringComparison.Ordinal);
        Assert.Contains("done     card IIN 000001 KDD 0102030405060708090A now opens only with the TSM's key set KVN 30", text, StringComparison.Ordinal);
        Assert.Contains("done     card IIN 000003 KDD 00010203040506070809 now opens only with the TSM's key set KVN 30", text, StringComparison.Ordinal);
        Assert.Contains("\"is_valid\":true", text, StringComparison.Ordinal);
    }

}
