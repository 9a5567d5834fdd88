using System.ServiceModel;
using Ttp.Portal.Soap.Messages;

namespace Ttp.Portal.Soap;

/// <summary>The <c>KeyDistribution</c> service contract, document/literal with the XmlSerializer.</summary>
[ServiceContract(Name = "KeyDistribution", Namespace = KeyDistributionContract.Namespace)]
[XmlSerializerFormat(SupportFaults = true)]
public interface IKeyDistributionService
{
    /// <summary>One card's ENC/MAC/DEK keys, wrapped under the calling TSM's KEK.</summary>
    [OperationContract(Name = "WSGetDiversifiedKeys", Action = KeyDistributionContract.Namespace + ":WSGetDiversifiedKeys")]
    [FaultContract(typeof(KeyDistributionFault))]
    Task<WSGetDiversifiedKeysOutput> WSGetDiversifiedKeys(WSGetDiversifiedKeysInput input);
}
