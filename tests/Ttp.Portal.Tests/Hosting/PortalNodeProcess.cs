using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Portal.Tests.Account;
using Ttp.Tests.Shared;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// Another node of a <see cref="PortalHost"/>'s installation, run as a server runs it: the built portal
/// (<c>dotnet Ttp.Portal.dll</c>) in a process of its own, configured through its environment, on the first node's
/// PostgreSQL database with the first node's LMK file, and a data directory provisioned as OPERATIONS.md "Several nodes"
/// says (a copy of the upgrade markers and the audit anchors). Nothing is shared with the test's process but the database
/// and those files. Disposing it kills the process (<see cref="StopAsync"/> stops it gracefully) and deletes its folder;
/// dispose it before the first node, which drops the database.
/// </summary>
internal sealed class PortalNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private PortalNodeProcess(string folder, string dataDirectory, IReadOnlyDictionary<string, string> environment, int portalPort, int soapPort, int managementPort)
    {
        _folder = folder;
        DataDirectory = dataDirectory;
        Environment = environment;
        BaseAddress = new Uri($"https://127.0.0.1:{portalPort}/");
        SoapAddress = new Uri($"https://127.0.0.1:{soapPort}/");
        ManagementAddress = new Uri($"http://127.0.0.1:{managementPort}/");
        var start = new ProcessStartInfo("dotnet", [PortalDll])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Collect(line.Data);
        _process.ErrorDataReceived += (_, line) => Collect(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The built portal the tests run (the solution's build output).</summary>
    public static string PortalDll { get; } =
        Path.Combine(Repository.Root, "src", "Ttp.Portal", "bin", Repository.Configuration, "net10.0", "Ttp.Portal.dll");

    /// <summary>The built ttpctl (built before these tests by a project reference).</summary>
    public static string TtpctlDll { get; } =
        Path.Combine(Repository.Root, "src", "Ttp.Cli", "bin", Repository.Configuration, "net10.0", "ttpctl.dll");

    public string DataDirectory { get; }

    /// <summary>The node's settings as environment variables (also what ttpctl needs to work on this node's files).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public Uri BaseAddress { get; }

    public Uri SoapAddress { get; }

    public Uri ManagementAddress { get; }

    /// <summary>What the process wrote so far (standard output and error), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Provisions and starts a node of <paramref name="first"/>'s installation with <paramref name="settings"/>
    /// (configuration keys, e.g. <c>Ttp:Soap:RateLimit:Nodes</c>), and returns it once its <c>/health/ready</c> answers
    /// 200, as a load balancer would wait for it.
    /// </summary>
    public static async Task<PortalNodeProcess> StartAsync(PortalHost first, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        var connectionString = first.PostgresConnectionString
            ?? throw new InvalidOperationException("several nodes share a PostgreSQL database");
        Assert.True(File.Exists(PortalDll), $"{PortalDll} is missing: build the solution first");
        _ = first.Services; // started: the LMK, the schema and the first checkpoint exist
        var folder = Directory.CreateTempSubdirectory("ttp-node-").FullName;
        var data = Directory.CreateDirectory(Path.Combine(folder, "data"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        foreach (var marker in Directory.GetFiles(first.DataDirectory, "*.done"))
        {
            File.Copy(marker, Path.Combine(data, Path.GetFileName(marker)));
        }

        // The anchors too: a node starts from the checkpoints of the installation and continues them with its own.
        var anchors = Directory.CreateDirectory(Path.Combine(data, "anchors"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in Directory.GetFiles(Path.Combine(first.DataDirectory, "anchors")))
        {
            File.Copy(file, Path.Combine(anchors.FullName, Path.GetFileName(file)));
        }

        // The ports are chosen free before the process binds them, seconds later: when another program took one in
        // between (other tests open thousands of connections), the node cannot listen and exits; it is started again on
        // other ports.
        for (var attempt = 1; ; attempt++)
        {
            var (portalPort, soapPort, managementPort) = (PortalHost.FreePort(), PortalHost.FreePort(), PortalHost.FreePort());
            var environment = new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Ttp__DataDirectory"] = data,
                ["Ttp__Database__Provider"] = nameof(DatabaseProvider.Postgres),
                ["ConnectionStrings__Ttp"] = connectionString,
                ["Ttp__Lmk__FilePath"] = Path.Combine(first.DataDirectory, LmkOptions.DefaultFileName),
                ["Kestrel__Endpoints__Portal__Url"] = $"https://127.0.0.1:{portalPort}",
                ["Kestrel__Endpoints__Soap__Url"] = $"https://127.0.0.1:{soapPort}",
                ["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{managementPort}",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            var node = new PortalNodeProcess(folder, data, environment, portalPort, soapPort, managementPort);
            try
            {
                if (await node.WaitReadyAsync())
                {
                    return node;
                }
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }

            await node.KillAsync();
            Assert.True(attempt < 3, $"the node could not listen on free ports three times: {node.Output}");
        }
    }

    /// <summary>An HTTP client for the node's SOAP port presenting <paramref name="clientCertificate"/>.</summary>
    public HttpClient CreateSoapClient(X509Certificate2 clientCertificate) => PortalHost.CreateSoapClient(SoapAddress, clientCertificate);

    /// <summary>A cookie-keeping client for the node's account pages.</summary>
    public PortalBrowser CreateBrowser() => new(BaseAddress);

    /// <summary>
    /// Stops the node as a service manager does (SIGTERM) and waits for it to end: it finishes its work and writes its
    /// last audit checkpoint. Fails when it does not end within 30 s or ends with an error.
    /// </summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"the node ended with exit code {_process.ExitCode}: {Output}");
    }

    /// <summary>Runs the built ttpctl with this node's settings (its data directory, so its anchors); exit code and output.</summary>
    public Task<(int Exit, string Stdout, string Stderr)> RunTtpctlAsync(params string[] args) => RunTtpctlAsync(Environment, args);

    /// <summary>Runs the built ttpctl with <paramref name="environment"/>; exit code, standard output and standard error.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunTtpctlAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(TtpctlDll), $"{TtpctlDll} is missing: build the solution first");
        var start = new ProcessStartInfo("dotnet", [TtpctlDll, .. args])
        {
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// Waits until <c>/health/ready</c> answers 200 and the portal and SOAP ports accept connections; false when the node
    /// exited because a port was taken (start it again elsewhere).
    /// </summary>
    private async Task<bool> WaitReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // the output is all read
                return Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? false
                    : throw new Xunit.Sdk.XunitException($"the node exited at start-up (exit code {_process.ExitCode}): {Output}");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK && await AcceptsAsync(BaseAddress) && await AcceptsAsync(SoapAddress))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // a check still running at start-up
            }

            Assert.True(clock.Elapsed < StartTimeout, $"the node was not ready {StartTimeout.TotalSeconds} s after it started: {Output}");
            await Task.Delay(200);
        }
    }

    private static async Task<bool> AcceptsAsync(Uri address)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        try
        {
            await socket.ConnectAsync(address.Host, address.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Bounded: a failure message needs the start of the log (start-up errors) and some of the rest.
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
