using Ttp.Domain.KeyRequests;
using Ttp.Portal.Soap.Messages;

namespace Ttp.Portal.Soap;

/// <summary>
/// The SOAP edge of <see cref="KeyRequestService"/>: translates the message and the TLS caller into the domain's terms
/// and the result back. Refusals become faults in <see cref="KeyDistributionFaultTransformer"/>.
/// </summary>
internal sealed class KeyDistributionService(KeyRequestService keyRequests, IHttpContextAccessor http) : IKeyDistributionService
{
    public async Task<WSGetDiversifiedKeysOutput> WSGetDiversifiedKeys(WSGetDiversifiedKeysInput input)
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("no HTTP context");
        var caller = SoapCaller.From(context);
        // No request element (an empty body, or the operation's element with nothing in it; SoapCore then hands over no
        // input or an input without the request): refused as InvalidRequest with a RequestId and audited for the pinned
        // TSM, like any other invalid request.
        var request = input?.WSGetDiversifiedKeysRequest
            ?? throw await keyRequests.RefuseUnreadableAsync(caller, "WSGetDiversifiedKeysRequest: missing", context.RequestAborted);
        var result = await keyRequests.GetDiversifiedKeysAsync(
            new KeyRequest(
                request.SecurityDomainManagerUrl,
                request.KeyDiversificationData,
                request.KeyInformationTemplate,
                request.SequenceCounter,
                request.IssuerIdentificationNumber,
                request.CardImageNumber,
                request.KeyVersionNumber,
                request.KekIndex),
            caller,
            context.RequestAborted);
        return new WSGetDiversifiedKeysOutput { WSGetDiversifiedKeysResponse = new WSGetDiversifiedKeysResponse
        {
            RequestId = result.RequestId.ToString(),
            Scheme = result.Scheme,
            KeyVersionNumber = result.KeyVersionNumber,
            DiversificationMethod = result.DiversificationMethod,
            KekIndex = result.KekIndex,
            KekCheckValue = result.KekCheckValue,
            Format = result.Format,
            Keys = [.. result.Keys.Select(k => new WSKey
            {
                Usage = k.Usage,
                KeyId = k.KeyId,
                Algorithm = k.Algorithm,
                Length = k.Length,
                KeyBlock = k.KeyBlock,
                Cryptogram = k.Cryptogram,
                CheckValue = k.CheckValue,
            })],
        } };
    }
}
