using System.ServiceModel;

namespace Ttp.Portal.Soap.Messages;

/// <summary>The operation's output message: the bare <c>WSGetDiversifiedKeysResponse</c> element as the body.</summary>
[MessageContract(IsWrapped = false)]
public sealed class WSGetDiversifiedKeysOutput
{
    [MessageBodyMember(Name = "WSGetDiversifiedKeysResponse", Namespace = KeyDistributionContract.Namespace)]
    public WSGetDiversifiedKeysResponse? WSGetDiversifiedKeysResponse { get; set; }
}
