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
/// namespace of their own (docs/STACK.md: SoapCore otherwise writes a fault WCF rejects). Also the one refusal path of the
/// edge for a request the key-request service never saw (<see cref="RefuseAsync"/>: audit, then answer).
/// </summary>
internal static class SoapFaults
{
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
            writer.WriteStartElement("s", "Fault", SoapVersion.Soap12Envelope);
            writer.WriteStartElement("s", "Code", SoapVersion.Soap12Envelope);
            writer.WriteStartElement("s", "Value", SoapVersion.Soap12Envelope);
            writer.WriteQualifiedName(sender ? "Sender" : "Receiver", SoapVersion.Soap12Envelope);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement("s", "Reason", SoapVersion.Soap12Envelope);
            writer.WriteStartElement("s", "Text", SoapVersion.Soap12Envelope);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(detail.Message);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement("s", "Detail", SoapVersion.Soap12Envelope);
            WriteDetail(writer, detail);
            writer.WriteEndElement();
            writer.WriteEndElement();
            return;
        }

        writer.WriteStartElement("s", "Fault", SoapVersion.Soap11Envelope);
        writer.WriteStartElement("faultcode");
        writer.WriteQualifiedName(sender ? "Client" : "Server", SoapVersion.Soap11Envelope);
        writer.WriteEndElement();
        writer.WriteElementString("faultstring", detail.Message);
        writer.WriteStartElement("detail");
        WriteDetail(writer, detail);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>
    /// Refuses a request the key-request service never saw (refused before SOAP processing, or not readable by the SOAP
    /// stack) as <see cref="KeyDistributionFaultCode.InvalidRequest"/>: first recorded through
    /// <see cref="KeyRequestService.RefuseUnreadableAsync"/> (audited when the caller's certificate is pinned to a TSM),
    /// then answered with the fault carrying its RequestId, with <paramref name="invalidStatus"/>; when the refusal cannot
    /// be recorded, <c>ServiceUnavailable</c> with the binding's status.
    /// </summary>
    public static async Task RefuseAsync(HttpContext context, KeyRequestService keyRequests, string message, int invalidStatus)
    {
        var refused = await keyRequests.RefuseUnreadableAsync(SoapCaller.From(context), message, context.RequestAborted);
        var status = refused.Code == KeyDistributionFaultCode.InvalidRequest
            ? invalidStatus
            : StatusCode(SoapVersion.Of(context.Request), refused.Code);
        await WriteResponseAsync(context, status, refused.Code, refused.Message, refused.RequestId);
    }

    /// <summary>
    /// As <see cref="RefuseAsync"/>, recorded the same way, but answered with <paramref name="status"/> and
    /// <paramref name="message"/> as plain text on a connection that then closes (a body too large to read: the client may
    /// still be sending, and it is not drained).
    /// </summary>
    public static async Task RefuseAsPlainTextAsync(HttpContext context, KeyRequestService keyRequests, string message, int status)
    {
        await keyRequests.RefuseUnreadableAsync(SoapCaller.From(context), message, context.RequestAborted);
        await WritePlainTextAsync(context, status, message, closeConnection: true);
    }

    /// <summary>
    /// Answers with a fault of <paramref name="code"/> and no RequestId (nothing recorded: the server's side, e.g. an
    /// exception that escaped the SOAP stack), in the request's SOAP version.
    /// </summary>
    public static Task WriteResponseAsync(HttpContext context, int status, KeyDistributionFaultCode code, string message) =>
        WriteResponseAsync(context, status, code, message, requestId: null);

    /// <summary>
    /// A short plain-text answer (nothing of the request echoed); with <paramref name="closeConnection"/> the HTTP/1.x
    /// connection closes after it instead of the server draining a request body it will not read.
    /// </summary>
    public static Task WritePlainTextAsync(HttpContext context, int status, string message, bool closeConnection)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (closeConnection && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.Headers.Connection = "close";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static async Task WriteResponseAsync(HttpContext context, int status, KeyDistributionFaultCode code, string message, Guid? requestId)
    {
        var envelope = SoapVersion.Of(context.Request);
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = false }))
        {
            var ns = SoapVersion.Namespace(envelope);
            writer.WriteStartElement("s", "Envelope", ns);
            writer.WriteStartElement("s", "Body", ns);
            WriteFault(writer, envelope, new KeyDistributionFault { Code = code.ToString(), Message = message, RequestId = requestId?.ToString() ?? string.Empty });
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = SoapVersion.ResponseContentType(envelope);
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
