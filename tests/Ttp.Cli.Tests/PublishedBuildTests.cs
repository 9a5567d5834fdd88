using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ttp.Tests.Shared;

namespace Ttp.Cli.Tests;

/// <summary>
/// The published build (scripts/publish.sh) run as a server would run it: from a directory outside the repository, with
/// its configuration given by TTP_CONFIG: ttpctl refuses to work where there is no installation and creates nothing,
/// `init` creates one and prints its absolute paths, and the portal starts on it and shows its version.
/// </summary>
public sealed class PublishedBuildTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ttp-published-").FullName;

    [Fact]
    public async Task PublishedBuild_OutsideRepository_RunsWithConfigurationByEnvironment()
    {
        var root = Repository.Root;
        var configuration = Repository.Configuration;
        var out_ = Path.Combine(folder, "out");
        var publish = await RunAsync("bash", [Path.Combine(root, "scripts", "publish.sh"), out_], root,
            new() { ["NO_BUILD"] = "1", ["CONFIGURATION"] = configuration }, TimeSpan.FromMinutes(5));
        Assert.True(publish.Exit == 0, publish.Output);

        var work = Directory.CreateDirectory(Path.Combine(folder, "elsewhere")).FullName;
        var data = Path.Combine(folder, "var-lib-ttp");
        var (portalPort, soapPort, managementPort) = (FreePort(), FreePort(), FreePort());
        // The operator's step: the sample configuration, edited (the file wins over the environment, as documented).
        var config = Path.Combine(folder, "etc-ttp.json");
        var sample = await File.ReadAllTextAsync(Path.Combine(out_, "ttp.sample.json"));
        Assert.Contains("\"DataDirectory\": \"/var/lib/ttp\"", sample, StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, sample
            .Replace("\"DataDirectory\": \"/var/lib/ttp\"", $"\"DataDirectory\": \"{data}\"", StringComparison.Ordinal)
            .Replace("https://127.0.0.1:7443", $"https://127.0.0.1:{portalPort}", StringComparison.Ordinal)
            .Replace("https://127.0.0.1:7444", $"https://127.0.0.1:{soapPort}", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:7445", $"http://127.0.0.1:{managementPort}", StringComparison.Ordinal));
        var environment = new Dictionary<string, string> { ["TTP_CONFIG"] = config };
        var ttpctl = Path.Combine(out_, "ttpctl", "ttpctl.dll");

        var version = await RunAsync("dotnet", [ttpctl, "--version"], work, environment);
        var refused = await RunAsync("dotnet", [ttpctl, "tsm", "list"], work, environment);
        var dataAfterRefusal = Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any();
        var init = await RunAsync("dotnet", [ttpctl, "init"], work, environment);

        Assert.True(version.Exit == 0, version.Output);
        Assert.StartsWith("0.9.0", version.Output.Trim(), StringComparison.Ordinal);
        Assert.True(refused.Exit == 4, refused.Output);
        Assert.Contains($"no installation in {Path.Combine(data, "ttp.db")}", refused.Output, StringComparison.Ordinal);
        Assert.False(dataAfterRefusal, "ttpctl created files where there was no installation");
        Assert.True(init.Exit == 0, init.Output);
        // The output is stdout (the one JSON line) then stderr (the log: a new software LMK is a warning).
        var paths = JsonDocument.Parse(init.Output.Split('\n')[0]).RootElement.GetProperty("paths");
        Assert.Contains("ttpctl: warning: Created a new software LMK ", init.Output, StringComparison.Ordinal);
        Assert.Equal(data, paths.GetProperty("data_directory").GetString());
        Assert.Equal(Path.Combine(data, "ttp.db"), paths.GetProperty("database").GetString());
        Assert.Equal(Path.Combine(data, "lmk.key"), paths.GetProperty("lmk").GetString());
        Assert.True(Path.IsPathRooted(paths.GetProperty("audit_anchors").GetString()));

        var start = new ProcessStartInfo("dotnet", [Path.Combine(out_, "portal", "Ttp.Portal.dll")])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var portal = Process.Start(start)!;
        var log = portal.StandardOutput.ReadToEndAsync();
        var errors = portal.StandardError.ReadToEndAsync();
        try
        {
            var page = await WaitForPageAsync(new Uri($"https://127.0.0.1:{portalPort}/account/login"), portal, errors);
            Assert.Contains("TTP key server 0.9.0", page, StringComparison.Ordinal);
        }
        finally
        {
            portal.Kill(entireProcessTree: true);
            await portal.WaitForExitAsync();
        }

        Assert.False(Directory.Exists(Path.Combine(work, "data")), "the portal used a data folder in its working directory: " + await log);
        Assert.True(File.Exists(Path.Combine(data, "tls", "server.pfx")));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static async Task<string> WaitForPageAsync(Uri url, Process portal, Task<string> errors)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (portal.HasExited)
            {
                Assert.Fail("the published portal exited: " + await errors);
            }

            try
            {
                return await client.GetStringAsync(url);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"the published portal did not answer {url} in 60 s");
    }

    private static async Task<(int Exit, string Output)> RunAsync(
        string program, string[] args, string workingDirectory, Dictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
