using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;

namespace Ttp.TsmClient.Ttp;

/// <summary>
/// The TSM's side of <c>WSGetDiversifiedKeys</c> (steps 3 to 5): a WCF client (<see cref="IKeyDistribution"/>) over
/// mutual TLS, the TTP authenticated by <see cref="ServerTrust"/>, and the live WSDL fetched over the same TLS for
/// <see cref="WsdlCheck"/>. Failures become <see cref="ProvisionException"/> here, once.
/// </summary>
internal sealed class TtpClient(Uri endpoint, X509Certificate2 clientCertificate, ServerTrust trust, string step)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Fetches <c>?wsdl</c>.</summary>
    public async Task<string> FetchWsdlAsync(CancellationToken cancellationToken)
    {
        using var handler = CreateHandler(new HttpClientHandler());
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout };
        try
        {
            using var answer = await http.GetAsync(new UriBuilder(Endpoint) { Query = "wsdl" }.Uri, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                throw new ProvisionException(step, ExitCodes.TtpUnavailable, $"GET {Endpoint}?wsdl answered HTTP {(int)answer.StatusCode}");
            }

            return await answer.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProvisionException(step, ExitCodes.TtpUnavailable, $"the TTP at {Endpoint} did not answer in {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Calls <c>WSGetDiversifiedKeys</c>.</summary>
    public async Task<KeyResponse> GetKeysAsync(KeyRequest request, CancellationToken cancellationToken)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.Transport)
        {
            SendTimeout = Timeout,
            ReceiveTimeout = Timeout,
            OpenTimeout = Timeout,
        };
        binding.Security.Transport.ClientCredentialType = HttpClientCredentialType.Certificate;
        var factory = new ChannelFactory<IKeyDistribution>(binding, new EndpointAddress(Endpoint));
        factory.Credentials.ClientCertificate.Certificate = clientCertificate;
        factory.Endpoint.EndpointBehaviors.Add(new HandlerBehavior(handler => CreateHandler(handler)));
        try
        {
            var channel = factory.CreateChannel();
            var answer = await channel.WSGetDiversifiedKeysAsync(new KeyRequestMessage { Request = request }).WaitAsync(cancellationToken).ConfigureAwait(false);
            ((IClientChannel)channel).Close();
            factory.Close();
            return answer.Response ?? throw new ProvisionException(step, ExitCodes.TtpUnavailable, "the TTP answered without a WSGetDiversifiedKeysResponse");
        }
        catch (FaultException<KeyDistributionFault> fault)
        {
            var detail = fault.Detail;
            throw new ProvisionException(step, ExitCodes.TtpRefused,
                $"the TTP refused the request: {detail.Code}: {detail.Message} (RequestId {detail.RequestId})");
        }
        catch (FaultException fault)
        {
            throw new ProvisionException(step, ExitCodes.TtpRefused, $"the TTP answered a SOAP fault without detail: {fault.Message}");
        }
        catch (CommunicationException e)
        {
            throw Unreachable(e);
        }
        catch (TimeoutException)
        {
            throw new ProvisionException(step, ExitCodes.TtpUnavailable, $"the TTP at {Endpoint} did not answer in {Timeout.TotalSeconds:0} s");
        }
        finally
        {
            factory.Abort();
        }
    }

    private HttpClientHandler CreateHandler(HttpClientHandler handler)
    {
        handler.ClientCertificateOptions = ClientCertificateOption.Manual;
        if (!handler.ClientCertificates.Contains(clientCertificate))
        {
            handler.ClientCertificates.Add(clientCertificate);
        }

        handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        return handler;
    }

    // The server's certificate refused by us (ServerTrust says why), ours refused by the TTP in the handshake, or no answer.
    private ProvisionException Unreachable(Exception e)
    {
        if (trust.LastRefusal is { } refusal)
        {
            return new ProvisionException(step, ExitCodes.TtpUnavailable, $"{refusal}; nothing was sent to {Endpoint}");
        }

        // Our certificate refused: in TLS 1.2 the handshake fails; in TLS 1.3 the server ends the connection after it.
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException || inner is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.ResponseEnded })
            {
                return new ProvisionException(step, ExitCodes.TtpUnavailable,
                    $"the TTP at {Endpoint} ended the TLS connection without answering: it did not accept the client certificate (not registered, not approved, retired or revoked?) ({e.GetBaseException().Message})");
            }
        }

        return new ProvisionException(step, ExitCodes.TtpUnavailable, $"cannot reach the TTP at {Endpoint} ({e.GetBaseException().Message})");
    }

    /// <summary>Lets WCF's HTTP transport use our TLS settings (the binding-parameter hook of System.ServiceModel.Http).</summary>
    private sealed class HandlerBehavior(Func<HttpClientHandler, HttpMessageHandler> configure) : IEndpointBehavior
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) => bindingParameters.Add(configure);

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime)
        {
        }

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }
    }
}
