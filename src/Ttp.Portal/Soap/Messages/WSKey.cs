using System.Xml.Serialization;

namespace Ttp.Portal.Soap.Messages;

/// <summary>One <c>Key</c> of <c>Keys</c>: <c>KeyBlock</c> when Format is TR31, <c>Cryptogram</c> when it is GP.</summary>
[XmlType("Key", Namespace = KeyDistributionContract.Namespace)]
public sealed class WSKey
{
    [XmlElement(Order = 0)]
    public string Usage { get; set; } = string.Empty;

    [XmlElement(Order = 1)]
    public int KeyId { get; set; }

    [XmlElement(Order = 2)]
    public string Algorithm { get; set; } = string.Empty;

    [XmlElement(Order = 3)]
    public int Length { get; set; }

    [XmlElement(Order = 4)]
    public string? KeyBlock { get; set; }

    [XmlElement(Order = 5)]
    public string? Cryptogram { get; set; }

    [XmlElement(Order = 6)]
    public string CheckValue { get; set; } = string.Empty;
}
