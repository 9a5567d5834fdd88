using System.ServiceModel;

namespace Ttp.Portal.Tests.Soap;

[MessageContract(IsWrapped = false)]
public sealed class ClientInput
{
    [MessageBodyMember(Name = "WSGetDiversifiedKeysRequest", Namespace = ClientContract.Namespace)]
    public ClientRequest? Request { get; set; }
}
