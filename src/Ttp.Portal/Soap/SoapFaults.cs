using System.Net.Mime;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Text;
using System.Xml;
using System.Xml.Serialization;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Soap.Messages;

namespace Ttp.Portal.Soap;

/// <summary>
/// Writes SOAP 1.1 and 1.2 faults carrying a <see cref="KeyDistributionFault"/> detail, with the HTTP status each binding
/// defines: SOAP 1.1 always 500; SOAP 1.2 400 for a Sender fault and 500 for a Receiver fault. Fault codes carry no
/// namespace of their own (docs/STACK.md: SoapCore otherwise writes a fault WCF rejects).
/// </summary>
internal static class SoapFaults
{
    private const string Soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string Soap12Envelope = "http://www.w3.org/2003/05/soap-envelope";

    private static readonly XmlSerializer DetailSerializer = new(typeof(KeyDistributionFault));

    /// <summary>Whether a refusal is the caller's fault (Client/Sender) rather than the server's (Server/Receiver).</summary>
    public static bool IsSenderFault(KeyDistributionFaultCode code) => code == KeyDistributionFaultCode.InvalidRequest;

    /// <summary>The HTTP status of a fault under <paramref name="envelope"/>.</summary>
    public static int StatusCode(EnvelopeVersion envelope, KeyDistributionFaultCode code) =>
        envelope == EnvelopeVersion.Soap12 && IsSenderFault(code) ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;

    /// <summary>Writes the fault element (the body's content) for <paramref name="envelope"/>.</summary>
    public static void WriteFault(XmlWriter writer, EnvelopeVersion envelope, KeyDistributionFault detail)
    {
        var sender = Enum.TryParse<KeyDistributionFaultCode>(detail.Code, out var code) && IsSenderFault(code);
        if (envelope == EnvelopeVersion.Soap12)
        {
            writer.WriteStartElement("s", "Fault", Soap12Envelope);
            writer.WriteStartElement("s", "Code", Soap12Envelope);
            writer.WriteStartElement("s", "Value", Soap12Envelope);
            writer.WriteQualifiedName(sender ? "Sender" : "Receiver", Soap12Envelope);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement("s", "Reason", Soap12Envelope);
            writer.WriteStartElement("s", "Text", Soap12Envelope);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(detail.Message);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement("s", "Detail", Soap12Envelope);
            WriteDetail(writer, detail);
            writer.WriteEndElement();
            writer.WriteEndElement();
            return;
        }

        writer.WriteStartElement("s", "Fault", Soap11Envelope);
        writer.WriteStartElement("faultcode");
        writer.WriteQualifiedName(sender ? "Client" : "Server", Soap11Envelope);
        writer.WriteEndElement();
        writer.WriteElementString("faultstring", detail.Message);
        writer.WriteStartElement("detail");
        WriteDetail(writer, detail);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>
    /// Answers a request refused before SOAP processing (DOCTYPE, empty or unreadable body) with a whole SOAP 1.1 fault
    /// envelope (or 1.2 when the request said so) and <paramref name="status"/>.
    /// </summary>
    public static Task WriteResponseAsync(HttpContext context, int status, KeyDistributionFaultCode code, string message) =>
        WriteResponseAsync(context, status, code, message, requestId: null);

    /// <summary>
    /// Writes a refusal made before SOAP processing as a fault with its request id: <paramref name="invalidStatus"/> (a
    /// 4xx) for InvalidRequest, else the status the binding defines for the code.
    /// </summary>
    public static Task WriteRefusalAsync(HttpContext context, KeyRequestRefusedException refused, int invalidStatus)
    {
        var soap12 = context.Request.ContentType?.Contains("application/soap+xml", StringComparison.OrdinalIgnoreCase) == true;
        var status = refused.Code == KeyDistributionFaultCode.InvalidRequest
            ? invalidStatus
            : StatusCode(soap12 ? EnvelopeVersion.Soap12 : EnvelopeVersion.Soap11, refused.Code);
        return WriteResponseAsync(context, status, refused.Code, refused.Message, refused.RequestId);
    }

    private static async Task WriteResponseAsync(HttpContext context, int status, KeyDistributionFaultCode code, string message, Guid? requestId)
    {
        var soap12 = context.Request.ContentType?.Contains("application/soap+xml", StringComparison.OrdinalIgnoreCase) == true;
        var envelope = soap12 ? EnvelopeVersion.Soap12 : EnvelopeVersion.Soap11;
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = false }))
        {
            var ns = soap12 ? Soap12Envelope : Soap11Envelope;
            writer.WriteStartElement("s", "Envelope", ns);
            writer.WriteStartElement("s", "Body", ns);
            WriteFault(writer, envelope, new KeyDistributionFault { Code = code.ToString(), Message = message, RequestId = requestId?.ToString() ?? string.Empty });
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = soap12 ? "application/soap+xml; charset=utf-8" : MediaTypeNames.Text.Xml + "; charset=utf-8";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private static void WriteDetail(XmlWriter writer, KeyDistributionFault detail)
    {
        var namespaces = new XmlSerializerNamespaces();
        namespaces.Add(string.Empty, KeyDistributionContract.Namespace);
        DetailSerializer.Serialize(new FragmentWriter(writer), detail, namespaces);
    }

    /// <summary>Lets the serializer write into an open element (no second XML declaration, no end-document).</summary>
    private sealed class FragmentWriter(XmlWriter inner) : XmlWriter
    {
        public override WriteState WriteState => inner.WriteState;

        public override void WriteStartDocument()
        {
        }

        public override void WriteStartDocument(bool standalone)
        {
        }

        public override void WriteEndDocument()
        {
        }

        public override void Flush() => inner.Flush();

        public override string? LookupPrefix(string ns) => inner.LookupPrefix(ns);

        public override void WriteBase64(byte[] buffer, int index, int count) => inner.WriteBase64(buffer, index, count);

        public override void WriteCData(string? text) => inner.WriteCData(text);

        public override void WriteCharEntity(char ch) => inner.WriteCharEntity(ch);

        public override void WriteChars(char[] buffer, int index, int count) => inner.WriteChars(buffer, index, count);

        public override void WriteComment(string? text) => inner.WriteComment(text);

        public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) =>
            throw new InvalidOperationException("no DTD in a fault");

        public override void WriteEndAttribute() => inner.WriteEndAttribute();

        public override void WriteEndElement() => inner.WriteEndElement();

        public override void WriteEntityRef(string name) => inner.WriteEntityRef(name);

        public override void WriteFullEndElement() => inner.WriteFullEndElement();

        public override void WriteProcessingInstruction(string name, string? text) => inner.WriteProcessingInstruction(name, text);

        public override void WriteRaw(char[] buffer, int index, int count) => inner.WriteRaw(buffer, index, count);

        public override void WriteRaw(string data) => inner.WriteRaw(data);

        public override void WriteStartAttribute(string? prefix, string localName, string? ns) => inner.WriteStartAttribute(prefix, localName, ns);

        public override void WriteStartElement(string? prefix, string localName, string? ns) => inner.WriteStartElement(prefix, localName, ns);

        public override void WriteString(string? text) => inner.WriteString(text);

        public override void WriteSurrogateCharEntity(char lowChar, char highChar) => inner.WriteSurrogateCharEntity(lowChar, highChar);

        public override void WriteWhitespace(string? ws) => inner.WriteWhitespace(ws);
    }
}
