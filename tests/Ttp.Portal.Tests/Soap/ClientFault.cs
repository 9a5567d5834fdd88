using System.Xml.Serialization;

namespace Ttp.Portal.Tests.Soap;

[XmlType("KeyDistributionFault", Namespace = ClientContract.Namespace)]
[XmlRoot("KeyDistributionFault", Namespace = ClientContract.Namespace)]
public sealed class ClientFault
{
    [XmlElement(Order = 0)]
    public string? Code { get; set; }

    [XmlElement(Order = 1)]
    public string? Message { get; set; }

    [XmlElement(Order = 2)]
    public string? RequestId { get; set; }
}
