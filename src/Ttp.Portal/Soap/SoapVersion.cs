using System.ServiceModel;

namespace Ttp.Portal.Soap;

/// <summary>
/// The SOAP version of a request, read from its content type (SOAP 1.2 <c>application/soap+xml</c>, anything else SOAP
/// 1.1 <c>text/xml</c>, as SoapCore picks its encoder), with each version's envelope namespace and response content type.
/// The one place that test is written.
/// </summary>
internal static class SoapVersion
{
    /// <summary>The SOAP 1.1 envelope namespace.</summary>
    public const string Soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>The SOAP 1.2 envelope namespace.</summary>
    public const string Soap12Envelope = "http://www.w3.org/2003/05/soap-envelope";

    private const string Soap12MediaType = "application/soap+xml";

    /// <summary>SOAP 1.2 when the request's content type is <c>application/soap+xml</c>, else SOAP 1.1.</summary>
    public static EnvelopeVersion Of(HttpRequest request) => IsSoap12(request.ContentType) ? EnvelopeVersion.Soap12 : EnvelopeVersion.Soap11;

    /// <summary>SOAP 1.2 when <paramref name="contentType"/> is <c>application/soap+xml</c>, else SOAP 1.1.</summary>
    public static EnvelopeVersion Of(string? contentType) => IsSoap12(contentType) ? EnvelopeVersion.Soap12 : EnvelopeVersion.Soap11;

    /// <summary>The envelope namespace of <paramref name="envelope"/>.</summary>
    public static string Namespace(EnvelopeVersion envelope) => envelope == EnvelopeVersion.Soap12 ? Soap12Envelope : Soap11Envelope;

    /// <summary>The content type of a response in <paramref name="envelope"/>.</summary>
    public static string ResponseContentType(EnvelopeVersion envelope) =>
        envelope == EnvelopeVersion.Soap12 ? Soap12MediaType + "; charset=utf-8" : "text/xml; charset=utf-8";

    private static bool IsSoap12(string? contentType) => contentType?.Contains(Soap12MediaType, StringComparison.OrdinalIgnoreCase) == true;
}
