using System.ServiceModel;

namespace Ttp.Portal.Soap.Messages;

/// <summary>
/// The operation's input message: the bare <c>WSGetDiversifiedKeysRequest</c> element as the body (document/literal,
/// unwrapped, so that the WSDL SoapCore writes names that element and no operation wrapper).
/// </summary>
[MessageContract(IsWrapped = false)]
public sealed class WSGetDiversifiedKeysInput
{
    // SoapCore's WSDL takes the element name from the member's name: keep it equal to the contract name.
    [MessageBodyMember(Name = "WSGetDiversifiedKeysRequest", Namespace = KeyDistributionContract.Namespace)]
    public WSGetDiversifiedKeysRequest? WSGetDiversifiedKeysRequest { get; set; }
}
