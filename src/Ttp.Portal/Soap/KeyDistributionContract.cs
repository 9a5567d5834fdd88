namespace Ttp.Portal.Soap;

/// <summary>Version 1 of the key-distribution SOAP contract (docs/DESIGN.md section 5): what TSMs code against.</summary>
internal static class KeyDistributionContract
{
    /// <summary>The XML namespace of every message, element and fault detail of version 1.</summary>
    public const string Namespace = "urn:ttp:keydistribution:v1";

    /// <summary>The endpoint path (WSDL at <c>?wsdl</c>); SOAP 1.1 and 1.2 share it, told apart by content type.</summary>
    public const string Path = "/soap/v1/KeyDistribution.svc";
}
