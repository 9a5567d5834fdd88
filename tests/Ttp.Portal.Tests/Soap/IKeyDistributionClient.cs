using System.ServiceModel;
using System.Xml.Serialization;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The contract as a TSM would hand-write it from docs/DESIGN.md section 5 (dotnet-svcutil is not available): element names
/// and namespace only, no type shared with the server.
/// </summary>
[ServiceContract(Name = "KeyDistribution", Namespace = ClientContract.Namespace)]
[XmlSerializerFormat(SupportFaults = true)]
public interface IKeyDistributionClient
{
    [OperationContract(Name = "WSGetDiversifiedKeys", Action = ClientContract.Namespace + ":WSGetDiversifiedKeys", ReplyAction = "*")]
    [FaultContract(typeof(ClientFault), Name = "KeyDistributionFault", Namespace = ClientContract.Namespace)]
    Task<ClientOutput> WSGetDiversifiedKeysAsync(ClientInput input);
}
