using System.Runtime.Serialization;
using System.Xml.Serialization;

namespace Ttp.Portal.Soap.Messages;

/// <summary>
/// The typed detail of every fault: <c>Code</c> (a <c>KeyDistributionFaultCode</c> name), a message for humans, and the
/// request id under which the refusal was audited (empty when there is none). Readable by the XmlSerializer and by the
/// DataContractSerializer alike (members in alphabetical order).
/// </summary>
[XmlRoot("KeyDistributionFault", Namespace = KeyDistributionContract.Namespace)]
[XmlType("KeyDistributionFault", Namespace = KeyDistributionContract.Namespace)]
[DataContract(Name = "KeyDistributionFault", Namespace = KeyDistributionContract.Namespace)]
public sealed class KeyDistributionFault
{
    [XmlElement(Order = 0)]
    [DataMember(Order = 0)]
    public string Code { get; set; } = string.Empty;

    [XmlElement(Order = 1)]
    [DataMember(Order = 1)]
    public string Message { get; set; } = string.Empty;

    [XmlElement(Order = 2)]
    [DataMember(Order = 2)]
    public string RequestId { get; set; } = string.Empty;
}
