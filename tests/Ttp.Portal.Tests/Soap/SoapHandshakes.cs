using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// Whether the SOAP endpoint's TLS handshake accepts or refuses a client certificate, seen from both ends.
/// </summary>
/// <remarks>
/// What .NET 10 gives the client: Kestrel (SslStream on OpenSSL) checks the client certificate only once OpenSSL has
/// finished its handshake, so the client's own handshake succeeds (TLS 1.2 and 1.3 alike) and it then sees the
/// connection closed before any response: <see cref="HttpRequestException"/> with
/// <see cref="HttpRequestError.ResponseEnded"/> (inner <see cref="HttpIOException"/>, nothing deeper), never
/// <see cref="HttpRequestError.SecureConnectionError"/>. That alone would also fit a server that accepted the connection
/// and then dropped it, so the server's side is read too, from Kestrel's own metrics for the SOAP port: a connection
/// ended with <c>error.type</c> <c>tls_handshake_failed</c>, each handshake in the meantime failed with an
/// <see cref="AuthenticationException"/> (none completed), and no HTTP request was served. The accepting side checks the
/// same metrics (one completed handshake, one request served), so the listener is shown to see that port.
/// </remarks>
internal static class SoapHandshakes
{
    private const string TlsHandshakeFailed = "tls_handshake_failed";

    private static readonly Uri Wsdl = new(SoapWire.Path + "?wsdl", UriKind.Relative);

    /// <summary>The client certificate's SHA-256 thumbprint as the portal logs it.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary><paramref name="certificate"/> (none when null) is refused in the TLS handshake: no HTTP exchange.</summary>
    public static async Task AssertRefusedAsync(PortalHost host, X509Certificate2? certificate)
    {
        using var telemetry = new SoapEndpointTelemetry(host);
        using var client = host.CreateSoapClient(certificate);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Wsdl));

        Assert.Equal(HttpRequestError.ResponseEnded, refused.HttpRequestError);
        // (A connection opened before this check may end meanwhile, normally: only this client's connections are judged,
        // and those are the ones whose handshake ran in this window.)
        var ended = await telemetry.EndedConnectionsAsync(until: reasons => reasons.Contains(TlsHandshakeFailed));
        Assert.Contains(TlsHandshakeFailed, ended);
        Assert.NotEmpty(telemetry.Handshakes);
        Assert.All(telemetry.Handshakes, handshake => Assert.Equal(typeof(AuthenticationException).FullName, handshake.Error));
        Assert.Equal(0, telemetry.HttpRequests);
    }

    /// <summary>
    /// The positive control: <paramref name="certificate"/> completes the handshake and the WSDL is served; returns once
    /// the client has closed that connection and the server has seen it end normally (so that it does not end inside
    /// the next check's window).
    /// </summary>
    public static async Task AssertAcceptedAsync(PortalHost host, X509Certificate2 certificate)
    {
        using var telemetry = new SoapEndpointTelemetry(host);
        using (var client = host.CreateSoapClient(certificate))
        {
            var response = await client.GetAsync(Wsdl);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var handshake = Assert.Single(telemetry.Handshakes);
        Assert.Null(handshake.Error);
        Assert.Equal(1, await telemetry.HttpRequestsAsync(1));
        var ended = Assert.Single(await telemetry.EndedConnectionsAsync(until: reasons => reasons.Count > 0));
        Assert.Null(ended);
    }

    /// <summary>
    /// Kestrel's metrics of one host (its own <see cref="IMeterFactory"/>), for the SOAP port: TLS handshakes with their
    /// <c>error.type</c>, the <c>error.type</c> of ended connections, and HTTP requests served.
    /// </summary>
    private sealed class SoapEndpointTelemetry : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Handshake> _handshakes = new();
        private readonly ConcurrentQueue<string?> _endedConnections = new();
        private readonly string _port;
        private int _httpRequests;

        public SoapEndpointTelemetry(PortalHost host)
        {
            var meters = host.Services.GetRequiredService<IMeterFactory>();
            _port = host.SoapPort.ToString(CultureInfo.InvariantCulture);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters)
                    && instrument.Name is "kestrel.tls_handshake.duration" or "kestrel.connection.duration" or "http.server.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>(OnMeasurement);
            _listener.Start();
        }

        public IReadOnlyList<Handshake> Handshakes => [.. _handshakes];

        /// <summary>HTTP requests served by the host, on any port (the tests send none but to the SOAP port).</summary>
        public int HttpRequests => Volatile.Read(ref _httpRequests);

        /// <summary>
        /// The <c>error.type</c> of each SOAP connection that has ended, once they satisfy <paramref name="until"/> (or
        /// after <see cref="Patience"/>: the caller's assertion then fails with what was seen).
        /// </summary>
        public async Task<IReadOnlyList<string?>> EndedConnectionsAsync(Func<IReadOnlyList<string?>, bool> until)
        {
            var deadline = DateTime.UtcNow + Patience;
            IReadOnlyList<string?> ended = [.. _endedConnections];
            while (!until(ended) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
                ended = [.. _endedConnections];
            }

            return ended;
        }

        /// <summary>HTTP requests served, once there are at least <paramref name="expected"/> (recorded after the response).</summary>
        public async Task<int> HttpRequestsAsync(int expected)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (HttpRequests < expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            return HttpRequests;
        }

        public void Dispose() => _listener.Dispose();

        private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string? port = null;
            string? error = null;
            foreach (var (key, tag) in tags)
            {
                switch (key)
                {
                    case "server.port":
                        port = Convert.ToString(tag, CultureInfo.InvariantCulture);
                        break;
                    case "error.type":
                        error = Convert.ToString(tag, CultureInfo.InvariantCulture);
                        break;
                }
            }

            switch (instrument.Name)
            {
                case "http.server.request.duration":
                    Interlocked.Increment(ref _httpRequests);
                    break;
                case "kestrel.tls_handshake.duration" when port == _port:
                    _handshakes.Enqueue(new Handshake(error));
                    break;
                case "kestrel.connection.duration" when port == _port:
                    _endedConnections.Enqueue(error);
                    break;
            }
        }
    }

    /// <summary>One TLS handshake on the SOAP port: <see cref="Error"/> is null when it completed.</summary>
    internal sealed record Handshake(string? Error);
}
