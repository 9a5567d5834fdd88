using System.Xml.Serialization;

namespace Ttp.Portal.Tests.Soap;

[XmlType("Key", Namespace = ClientContract.Namespace)]
public sealed class ClientKey
{
    [XmlElement(Order = 0)]
    public string? Usage { get; set; }

    [XmlElement(Order = 1)]
    public int KeyId { get; set; }

    [XmlElement(Order = 2)]
    public string? Algorithm { get; set; }

    [XmlElement(Order = 3)]
    public int Length { get; set; }

    [XmlElement(Order = 4)]
    public string? KeyBlock { get; set; }

    [XmlElement(Order = 5)]
    public string? Cryptogram { get; set; }

    [XmlElement(Order = 6)]
    public string? CheckValue { get; set; }
}
