using System.ServiceModel;

namespace Ttp.Portal.Tests.Soap;

[MessageContract(IsWrapped = false)]
public sealed class ClientOutput
{
    [MessageBodyMember(Name = "WSGetDiversifiedKeysResponse", Namespace = ClientContract.Namespace)]
    public ClientResponse? Response { get; set; }
}
