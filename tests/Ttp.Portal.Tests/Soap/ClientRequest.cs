using System.Xml.Serialization;

namespace Ttp.Portal.Tests.Soap;

[XmlType("WSGetDiversifiedKeysRequest", Namespace = ClientContract.Namespace)]
public sealed class ClientRequest
{
    [XmlElement(Order = 0)]
    public string? SecurityDomainManagerUrl { get; set; }

    [XmlElement(Order = 1)]
    public string? KeyDiversificationData { get; set; }

    [XmlElement(Order = 2)]
    public string? KeyInformationTemplate { get; set; }

    [XmlElement(Order = 3)]
    public string? SequenceCounter { get; set; }

    [XmlElement(Order = 4)]
    public string? IssuerIdentificationNumber { get; set; }

    [XmlElement(Order = 5)]
    public string? CardImageNumber { get; set; }

    [XmlElement(Order = 6)]
    public int KeyVersionNumber { get; set; }

    [XmlIgnore]
    public bool KeyVersionNumberSpecified { get; set; }

    [XmlElement(Order = 7)]
    public int KekIndex { get; set; }
}
