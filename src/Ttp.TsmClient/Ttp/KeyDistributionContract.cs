using System.ServiceModel;
using System.Xml.Serialization;

namespace Ttp.TsmClient.Ttp;

/// <summary>
/// The public SOAP contract of <c>WSGetDiversifiedKeys</c> as a TSM writes it from the documentation (docs/DESIGN.md,
/// section 5), sharing no type with the server; <see cref="WsdlCheck"/> compares it with the live WSDL before each call.
/// </summary>
[ServiceContract(Name = "KeyDistribution", Namespace = KeyDistributionNames.Namespace)]
[XmlSerializerFormat(SupportFaults = true)]
public interface IKeyDistribution
{
    [OperationContract(Name = KeyDistributionNames.Operation, Action = KeyDistributionNames.Action, ReplyAction = "*")]
    [FaultContract(typeof(KeyDistributionFault), Name = "KeyDistributionFault", Namespace = KeyDistributionNames.Namespace)]
    Task<KeyResponseMessage> WSGetDiversifiedKeysAsync(KeyRequestMessage request);
}

/// <summary>The names of the contract: namespace, operation and SOAP action.</summary>
public static class KeyDistributionNames
{
    public const string Namespace = "urn:ttp:keydistribution:v1";

    public const string Operation = "WSGetDiversifiedKeys";

    public const string Action = Namespace + ":" + Operation;
}

[MessageContract(IsWrapped = false)]
public sealed class KeyRequestMessage
{
    [MessageBodyMember(Name = "WSGetDiversifiedKeysRequest", Namespace = KeyDistributionNames.Namespace)]
    public KeyRequest? Request { get; set; }
}

[MessageContract(IsWrapped = false)]
public sealed class KeyResponseMessage
{
    [MessageBodyMember(Name = "WSGetDiversifiedKeysResponse", Namespace = KeyDistributionNames.Namespace)]
    public KeyResponse? Response { get; set; }
}

/// <summary>The request: the card's data objects as hex, the TSM's KEK index and the key set's KVN.</summary>
[XmlType("WSGetDiversifiedKeysRequest", Namespace = KeyDistributionNames.Namespace)]
public sealed class KeyRequest
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

/// <summary>The answer: the key set's attributes and the three keys wrapped under the KEK.</summary>
[XmlType("WSGetDiversifiedKeysResponse", Namespace = KeyDistributionNames.Namespace)]
public sealed class KeyResponse
{
    [XmlElement(Order = 0)]
    public string? RequestId { get; set; }

    [XmlElement(Order = 1)]
    public string? Scheme { get; set; }

    [XmlElement(Order = 2)]
    public int KeyVersionNumber { get; set; }

    [XmlElement(Order = 3)]
    public string? DiversificationMethod { get; set; }

    [XmlElement(Order = 4)]
    public int KekIndex { get; set; }

    [XmlElement(Order = 5)]
    public string? KekCheckValue { get; set; }

    [XmlElement(Order = 6)]
    public string? Format { get; set; }

    [XmlArray(Order = 7)]
    [XmlArrayItem("Key")]
    public DeliveredKey[]? Keys { get; set; }
}

/// <summary>One wrapped key: a TR-31 key block or a GP cryptogram, with its check value.</summary>
[XmlType("Key", Namespace = KeyDistributionNames.Namespace)]
public sealed class DeliveredKey
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

/// <summary>The detail of a refusal: its code, a message for people and the RequestId to quote.</summary>
[XmlType("KeyDistributionFault", Namespace = KeyDistributionNames.Namespace)]
[XmlRoot("KeyDistributionFault", Namespace = KeyDistributionNames.Namespace)]
public sealed class KeyDistributionFault
{
    [XmlElement(Order = 0)]
    public string? Code { get; set; }

    [XmlElement(Order = 1)]
    public string? Message { get; set; }

    [XmlElement(Order = 2)]
    public string? RequestId { get; set; }
}
