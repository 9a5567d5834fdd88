using System.Net;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Portal.Tests.Soap;

/// <summary>Raw-HTTP SOAP for the endpoint tests: builds WSGetDiversifiedKeys envelopes, posts them, reads the answer.</summary>
internal static class SoapWire
{
    public const string Path = "/soap/v1/KeyDistribution.svc";
    public const string Namespace = "urn:ttp:keydistribution:v1";
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>E0 of the GP default SCP02 key set (KVN FF, three 16-byte DES keys).</summary>
    public const string Scp02Template = "E012C00401FF8010C00402FF8010C00403FF8010";

    /// <summary>A WSGetDiversifiedKeysRequest element; a null value omits the element, values are XML-escaped.</summary>
    public static string Request(
        string? kdd = "0102030405060708090A",
        string? e0 = Scp02Template,
        string? iin = "A0000001",
        string? kekIndex = "1",
        string? kvn = null,
        string extra = "")
    {
        var xml = new StringBuilder();
        xml.Append("<WSGetDiversifiedKeysRequest xmlns=\"").Append(Namespace).Append("\">");
        Element(xml, "KeyDiversificationData", kdd);
        Element(xml, "KeyInformationTemplate", e0);
        Element(xml, "IssuerIdentificationNumber", iin);
        Element(xml, "KeyVersionNumber", kvn);
        Element(xml, "KekIndex", kekIndex);
        xml.Append(extra);
        xml.Append("</WSGetDiversifiedKeysRequest>");
        return xml.ToString();
    }

    public static async Task<SoapReply> PostAsync(HttpClient client, string request, bool soap12 = false)
    {
        var ns = soap12 ? Soap12 : Soap11;
        var envelope = $"<s:Envelope xmlns:s=\"{ns}\"><s:Body>{request}</s:Body></s:Envelope>";
        using var content = new StringContent(envelope, Encoding.UTF8);
        if (soap12)
        {
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(
                $"application/soap+xml; charset=utf-8; action=\"{Namespace}:WSGetDiversifiedKeys\"");
        }
        else
        {
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");
            content.Headers.Add("SOAPAction", $"\"{Namespace}:WSGetDiversifiedKeys\"");
        }

        using var response = await client.PostAsync(new Uri(Path, UriKind.Relative), content);
        return new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The key-request audit records of <paramref name="tsm"/>.</summary>
    public static async Task<List<AuditEvent>> KeyRequestRecordsAsync(PortalHost host, string tsm)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var actor = "tsm:" + tsm;
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditRecord.KeyRequestAction && e.Actor == actor)
            .ToListAsync();
    }

    private static void Element(StringBuilder xml, string name, string? value)
    {
        if (value is not null)
        {
            xml.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
        }
    }
}

/// <summary>A SOAP answer as received: status and body, with the fault detail or the keys read out of it.</summary>
internal sealed record SoapReply(HttpStatusCode Status, string Body)
{
    private XDocument? _document;

    public XDocument Document => _document ??= XDocument.Parse(Body);

    public XElement? FaultDetail => Document.Descendants().FirstOrDefault(e => e.Name.LocalName == "KeyDistributionFault");

    public bool IsFault => Document.Descendants().Any(e => e.Name.LocalName == "Fault"
        && (e.Name.NamespaceName == SoapWire.Soap11 || e.Name.NamespaceName == SoapWire.Soap12));

    public string? FaultCode => FaultDetail?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public string? RequestId => (FaultDetail ?? Document.Descendants().FirstOrDefault(e => e.Name.LocalName == "WSGetDiversifiedKeysResponse"))
        ?.Elements().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;

    /// <summary>The SOAP fault code value (SOAP 1.1 faultcode, SOAP 1.2 Code/Value), without prefix.</summary>
    public string? EnvelopeFaultCode
    {
        get
        {
            var fault = Document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Fault");
            var code = fault?.Element("faultcode")
                ?? fault?.Element(XName.Get("Code", SoapWire.Soap12))?.Element(XName.Get("Value", SoapWire.Soap12));
            return code?.Value.Split(':').Last();
        }
    }

    public IReadOnlyList<XElement> Keys => [.. Document.Descendants().Where(e => e.Name.LocalName == "Key")];

    public string Value(XElement parent, string name) =>
        parent.Elements().Single(e => e.Name.LocalName == name).Value;

    public string ResponseValue(string name) =>
        Value(Document.Descendants().Single(e => e.Name.LocalName == "WSGetDiversifiedKeysResponse"), name);

    /// <summary>A clean fault: a SOAP Fault with the typed detail, no key, no stack trace or exception text.</summary>
    public void AssertCleanFault(string code)
    {
        Assert.False(string.IsNullOrEmpty(Body), $"{Status}: empty body");
        Assert.DoesNotContain("<html", Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Body, StringComparison.Ordinal);
        Assert.True(IsFault, Body);
        Assert.Equal(code, FaultCode);
        Assert.Empty(Keys);
        Assert.DoesNotContain("KeyBlock", Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Cryptogram", Body, StringComparison.Ordinal);
    }
}
