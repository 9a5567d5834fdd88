using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using System.Xml.Serialization;

namespace Ttp.TsmClient.Ttp;

/// <summary>
/// Checks the client's contract (<see cref="KeyRequest"/>, <see cref="KeyResponse"/>) against the TTP's live WSDL before
/// the call: the operation and its SOAP action are there, every element the client sends is in the request's schema in
/// the same order (and every element the client leaves out is optional there), and every element the client reads is in
/// the response's schema, with the same simple types. The client's side is exported from its own types by
/// <see cref="XmlSchemaExporter"/>, the server's is read from the WSDL's <c>types</c>; both compiled by <see cref="XmlSchemaSet"/>.
/// </summary>
internal static class WsdlCheck
{
    private const string WsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";

    /// <summary>Returns a one-line summary of what was checked.</summary>
    /// <exception cref="WsdlMismatchException">The WSDL lacks the operation or its schema differs from the client's.</exception>
    public static string Check(string wsdl)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(wsdl);
        }
        catch (XmlException e)
        {
            throw new WsdlMismatchException($"the WSDL is not XML ({e.Message})");
        }

        RequireOperation(document);
        var server = ServerSchemas(document);
        var client = ClientSchemas();
        var problems = new List<string>();
        Compare(client, server, "WSGetDiversifiedKeysRequest", sending: true, problems);
        Compare(client, server, "WSGetDiversifiedKeysResponse", sending: false, problems);
        if (problems.Count > 0)
        {
            throw new WsdlMismatchException(string.Join("; ", problems));
        }

        var requestFields = Sequence(client, "WSGetDiversifiedKeysRequest").Count;
        return $"operation {KeyDistributionNames.Operation} (action {KeyDistributionNames.Action}), {requestFields} request fields, response and key elements match";
    }

    private static void RequireOperation(XDocument document)
    {
        XNamespace wsdl = WsdlNamespace;
        var operations = document.Descendants(wsdl + "binding").Elements(wsdl + "operation")
            .Where(o => (string?)o.Attribute("name") == KeyDistributionNames.Operation).ToList();
        if (operations.Count == 0)
        {
            throw new WsdlMismatchException($"the WSDL has no binding of the operation {KeyDistributionNames.Operation}");
        }

        var actions = operations.SelectMany(o => o.Elements()).Select(e => (string?)e.Attribute("soapAction")).Where(a => a is not null).ToList();
        if (!actions.Contains(KeyDistributionNames.Action))
        {
            throw new WsdlMismatchException(
                $"the WSDL's SOAP action for {KeyDistributionNames.Operation} is {string.Join(", ", actions.Select(a => $"'{a}'"))}, the client sends '{KeyDistributionNames.Action}'");
        }
    }

    private static XmlSchemaSet ServerSchemas(XDocument document)
    {
        XNamespace wsdl = WsdlNamespace;
        var set = new XmlSchemaSet { XmlResolver = null };
        foreach (var schema in document.Descendants(wsdl + "types").Elements(XName.Get("schema", XmlSchema.Namespace)))
        {
            using var reader = schema.CreateReader();
            set.Add(XmlSchema.Read(reader, null)!);
        }

        return Compile(set, "the WSDL's schema");
    }

    private static XmlSchemaSet ClientSchemas()
    {
        var importer = new XmlReflectionImporter();
        var schemas = new XmlSchemas();
        var exporter = new XmlSchemaExporter(schemas);
        exporter.ExportTypeMapping(importer.ImportTypeMapping(typeof(KeyRequest), new XmlRootAttribute("WSGetDiversifiedKeysRequest") { Namespace = KeyDistributionNames.Namespace }));
        exporter.ExportTypeMapping(importer.ImportTypeMapping(typeof(KeyResponse), new XmlRootAttribute("WSGetDiversifiedKeysResponse") { Namespace = KeyDistributionNames.Namespace }));
        var set = new XmlSchemaSet { XmlResolver = null };
        foreach (XmlSchema schema in schemas)
        {
            set.Add(schema);
        }

        return Compile(set, "the client's schema");
    }

    private static XmlSchemaSet Compile(XmlSchemaSet set, string what)
    {
        try
        {
            set.Compile();
            return set;
        }
        catch (XmlSchemaException e)
        {
            throw new WsdlMismatchException($"{what} does not compile ({e.Message})");
        }
    }

    private static void Compare(XmlSchemaSet client, XmlSchemaSet server, string element, bool sending, List<string> problems)
    {
        var name = new XmlQualifiedName(element, KeyDistributionNames.Namespace);
        if (server.GlobalElements[name] is not XmlSchemaElement serverElement)
        {
            problems.Add($"the WSDL declares no element {element} in {KeyDistributionNames.Namespace}");
            return;
        }

        CompareTypes((XmlSchemaElement)client.GlobalElements[name]!, serverElement, element, sending, problems);
    }

    private static void CompareTypes(XmlSchemaElement client, XmlSchemaElement server, string path, bool sending, List<string> problems)
    {
        if (client.ElementSchemaType is not XmlSchemaComplexType clientType)
        {
            var clientSimple = client.ElementSchemaType?.QualifiedName;
            var serverSimple = server.ElementSchemaType?.QualifiedName;
            if (server.ElementSchemaType is XmlSchemaComplexType || clientSimple != serverSimple)
            {
                problems.Add($"{path} is {serverSimple} in the WSDL, {clientSimple} in the client");
            }

            return;
        }

        var clientChildren = Sequence(clientType);
        var serverChildren = server.ElementSchemaType is XmlSchemaComplexType serverType ? Sequence(serverType) : [];
        var position = 0;
        foreach (var child in clientChildren)
        {
            var found = serverChildren.FindIndex(position, s => s.QualifiedName == child.QualifiedName);
            if (found < 0)
            {
                var elsewhere = serverChildren.Exists(s => s.QualifiedName == child.QualifiedName);
                problems.Add(elsewhere
                    ? $"{path}/{child.QualifiedName.Name} comes in another order in the WSDL"
                    : $"{path}/{child.QualifiedName.Name} is not in the WSDL");
                continue;
            }

            if (sending)
            {
                foreach (var skipped in serverChildren.Skip(position).Take(found - position).Where(s => s.MinOccurs > 0))
                {
                    problems.Add($"{path}/{skipped.QualifiedName.Name} is required by the WSDL and the client does not send it");
                }
            }

            CompareTypes(child, serverChildren[found], $"{path}/{child.QualifiedName.Name}", sending, problems);
            position = found + 1;
        }

        if (sending)
        {
            foreach (var rest in serverChildren.Skip(position).Where(s => s.MinOccurs > 0))
            {
                problems.Add($"{path}/{rest.QualifiedName.Name} is required by the WSDL and the client does not send it");
            }
        }
    }

    private static List<XmlSchemaElement> Sequence(XmlSchemaSet set, string element) =>
        Sequence((XmlSchemaComplexType)((XmlSchemaElement)set.GlobalElements[new XmlQualifiedName(element, KeyDistributionNames.Namespace)]!).ElementSchemaType!);

    private static List<XmlSchemaElement> Sequence(XmlSchemaComplexType type) =>
        type.ContentTypeParticle is XmlSchemaSequence sequence ? [.. sequence.Items.OfType<XmlSchemaElement>()] : [];
}

/// <summary>The live WSDL does not match the client's contract.</summary>
internal sealed class WsdlMismatchException(string message) : Exception(message);
