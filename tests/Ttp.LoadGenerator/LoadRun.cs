using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.LoadGenerator;

/// <summary>The two targets, measured in the same run.</summary>
internal enum Target
{
    Soap = 0,
    Baseline = 1,
}

/// <summary>What a run measured: per target a merged histogram, its measured seconds and per-phase counts.</summary>
internal sealed class LoadResult
{
    public required Histogram[] Histograms { get; init; }

    public required double[] Seconds { get; init; }

    /// <summary>Completed requests per measured phase (phase k targets k % 2: SOAP first).</summary>
    public required long[] PhaseCounts { get; init; }

    public required double[] PhaseSeconds { get; init; }

    public required long[] ErrorsPerTarget { get; init; }

    public long Errors => ErrorsPerTarget.Sum();

    public required IReadOnlyDictionary<string, int> ErrorKinds { get; init; }
}

/// <summary>
/// N workers, each its own <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/> with one keep-alive
/// connection, sending back to back; a coordinator moves every worker through warm-up (both targets alternately, not
/// measured) and then the phases (SOAP, baseline, SOAP, ...). A request counts in the phase it started in.
/// </summary>
internal static class LoadRun
{
    private const int WarmUp = -1;
    private const int Stop = int.MaxValue;

    private static int currentPhase = WarmUp;

    public static async Task<LoadResult> RunAsync(LoadOptions options)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.PfxPath, options.PfxPassword);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"--pfx: '{options.PfxPath}' holds no private key");
        }

        var phases = options.Phases * 2;
        var workers = Enumerable.Range(0, options.Connections).Select(_ => new Worker(options, certificate, phases)).ToArray();
        try
        {
            // One request each, sequentially, before the clock: connection set-up (TCP, TLS, client certificate) is
            // not what is measured, and a configuration error shows up at once.
            foreach (var worker in workers)
            {
                await worker.ProbeAsync();
            }

            Volatile.Write(ref currentPhase, WarmUp);
            var running = workers.Select(w => Task.Run(w.RunAsync)).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var phaseSeconds = new double[phases];
            for (var phase = 0; phase < phases; phase++)
            {
                var start = Stopwatch.GetTimestamp();
                Volatile.Write(ref currentPhase, phase);
                await Task.Delay(TimeSpan.FromSeconds(options.PhaseSeconds));
                phaseSeconds[phase] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            Volatile.Write(ref currentPhase, Stop);
            await Task.WhenAll(running);

            var histograms = new[] { new Histogram(), new Histogram() };
            var phaseCounts = new long[phases];
            var errors = new long[2];
            var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var worker in workers)
            {
                histograms[0].Add(worker.Histograms[0]);
                histograms[1].Add(worker.Histograms[1]);
                for (var phase = 0; phase < phases; phase++)
                {
                    phaseCounts[phase] += worker.PhaseCounts[phase];
                }

                errors[0] += worker.Errors[0];
                errors[1] += worker.Errors[1];
                foreach (var (kind, count) in worker.ErrorKinds)
                {
                    kinds[kind] = kinds.GetValueOrDefault(kind) + count;
                }
            }

            return new LoadResult
            {
                Histograms = histograms,
                Seconds = [Enumerable.Range(0, phases).Where(p => p % 2 == 0).Sum(p => phaseSeconds[p]),
                    Enumerable.Range(0, phases).Where(p => p % 2 == 1).Sum(p => phaseSeconds[p])],
                PhaseCounts = phaseCounts,
                PhaseSeconds = phaseSeconds,
                ErrorsPerTarget = errors,
                ErrorKinds = kinds,
            };
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    private sealed class Worker : IDisposable
    {
        // The element every WSGetDiversifiedKeys answer has and no fault has.
        private static readonly byte[] SoapSuccessMarker = "WSGetDiversifiedKeysResponse"u8.ToArray();

        private readonly HttpClient client;
        private readonly Uri[] uris;
        private readonly ByteArrayContent[] contents;
        private readonly int requestLength;
        private readonly byte[] buffer = new byte[64 * 1024];

        public Worker(LoadOptions options, X509Certificate2 certificate, int phases)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                UseProxy = false,
                AllowAutoRedirect = false,
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = [certificate],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                    RemoteCertificateValidationCallback = (_, server, _, _) => options.Insecure || Pinned(server, options.ServerSha256),
                },
            };
            client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
            client.DefaultRequestHeaders.TryAddWithoutValidation("SOAPAction", "\"urn:ttp:keydistribution:v1:WSGetDiversifiedKeys\"");
            client.DefaultRequestVersion = HttpVersion.Version11;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;

            uris = [new Uri(options.BaseUrl, options.SoapPath), new Uri(options.BaseUrl, options.BaselinePath)];
            contents = [Content(options.RequestBody), Content(options.RequestBody)];
            requestLength = options.RequestBody.Length;
            PhaseCounts = new long[phases];
        }

        public Histogram[] Histograms { get; } = [new Histogram(), new Histogram()];

        public long[] PhaseCounts { get; }

        public long[] Errors { get; } = new long[2];

        public Dictionary<string, int> ErrorKinds { get; } = new(StringComparer.Ordinal);

        public async Task ProbeAsync()
        {
            foreach (var target in (Target[])[Target.Soap, Target.Baseline])
            {
                var error = await SendAsync(target);
                if (error is not null)
                {
                    throw new ArgumentException($"the first {target} request failed: {error}");
                }
            }
        }

        public async Task RunAsync()
        {
            var alternate = 0;
            while (true)
            {
                var phase = Volatile.Read(ref currentPhase);
                if (phase == Stop)
                {
                    return;
                }

                var target = phase == WarmUp ? (Target)(alternate++ & 1) : (Target)(phase & 1);
                var start = Stopwatch.GetTimestamp();
                var error = await SendAsync(target);
                var end = Stopwatch.GetTimestamp();
                if (phase == WarmUp)
                {
                    continue;
                }

                if (error is null)
                {
                    Histograms[(int)target].Record((end - start) * 1_000_000 / Stopwatch.Frequency);
                    PhaseCounts[phase]++;
                }
                else
                {
                    Errors[(int)target]++;
                    var kind = $"{target}: {error}";
                    ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
                }
            }
        }

        public void Dispose()
        {
            client.Dispose();
            foreach (var content in contents)
            {
                content.Dispose();
            }
        }

        private static ByteArrayContent Content(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
            return content;
        }

        private static bool Pinned(X509Certificate? server, string? sha256) =>
            server is not null && sha256 is not null
            && Convert.ToHexString(SHA256.HashData(server.GetRawCertData())) == sha256;

        /// <summary>One request; null when it succeeded, else what went wrong (allocated only then).</summary>
        private async Task<string?> SendAsync(Target target)
        {
            // The content is the worker's, reused: the request is not disposed (that would dispose its content).
#pragma warning disable CA2000
            var request = new HttpRequestMessage(HttpMethod.Post, uris[(int)target]) { Content = contents[(int)target] };
#pragma warning restore CA2000
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                var length = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(Math.Min(length, buffer.Length - 1)))) > 0)
                {
                    length += read;
                }

                var body = buffer.AsSpan(0, Math.Min(length, buffer.Length));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return $"HTTP {(int)response.StatusCode}";
                }

                return target switch
                {
                    Target.Soap when body.IndexOf(SoapSuccessMarker) < 0 => "200 without WSGetDiversifiedKeysResponse",
                    Target.Baseline when length != requestLength => $"echo of {length} bytes, sent {requestLength}",
                    _ => null,
                };
            }
            catch (HttpRequestException e)
            {
                return e.HttpRequestError + ": " + (e.InnerException?.Message ?? e.Message);
            }
            catch (TaskCanceledException)
            {
                return "timeout";
            }
        }
    }
}
