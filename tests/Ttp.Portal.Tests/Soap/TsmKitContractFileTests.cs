using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

using Ttp.Tests.Shared;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The TSM onboarding kit's contract files (docs/tsm/KeyDistribution.wsdl and .xsd) against what the service publishes,
/// fetched over real Kestrel with mutual TLS. Only the endpoint address in <c>soap:address</c>/<c>soap12:address</c>
/// differs by installation; everything else must be identical, line by line. With <c>TTP_WRITE_TSM_KIT=1</c> the test
/// writes the live documents to the files instead (docs/tsm/README.md, "Regenerating the contract files") and fails,
/// so that a regeneration is never mistaken for a passing comparison.
/// </summary>
public sealed partial class TsmKitContractFileTests
{
    /// <summary>What the files carry in place of an installation's endpoint address.</summary>
    public const string AddressPlaceholder = "https://HOST:7444/soap/v1/KeyDistribution.svc";

    private const string WriteVariable = "TTP_WRITE_TSM_KIT";

    [Fact]
    public async Task Wsdl_LiveService_MatchesDocsFile()
    {
        var live = (await FetchAsync("?wsdl"))[0];

        CompareOrWrite("KeyDistribution.wsdl", NormaliseAddress(live));
    }

    [Fact]
    public async Task Xsd_SchemaOfLiveWsdl_MatchesDocsFile()
    {
        // SoapCore holds the schema inside the WSDL's types (its ?xsd= answers the WSDL again): the kit's .xsd is that
        // schema extracted as a document of its own.
        var live = await FetchAsync("?wsdl", "?xsd=schema0");
        Assert.Equal(live[0], live[1]);

        var schema = ExtractSchema(live[0]);

        CompileSchema(schema);
        CompareOrWrite("KeyDistribution.xsd", schema);
    }

    [Fact]
    public void ExtractSchema_WsdlTypes_StandaloneSchemaWithItsPrefixes()
    {
        const string wsdl = """
            <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
              <wsdl:types>
                <xsd:schema elementFormDefault="qualified" targetNamespace="urn:t">
                  <xsd:element name="A" type="tns:A" />
                  <xsd:complexType name="A"><xsd:sequence><xsd:element name="B" type="xsd:string" /></xsd:sequence></xsd:complexType>
                </xsd:schema>
              </wsdl:types>
            </wsdl:definitions>
            """;

        var schema = ExtractSchema(wsdl);

        Assert.StartsWith(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"urn:t\"",
            schema, StringComparison.Ordinal);
        Assert.DoesNotContain("wsdl", schema, StringComparison.Ordinal);
        CompileSchema(schema);
    }

    [Fact]
    public void FirstDifference_OneLineChanged_NamesLineAndBothTexts()
    {
        // The comparison itself must fail on a difference and say where (the contract tests above rely on it).
        var message = FirstDifference("a\nb\nc\n", "a\nB\nc\n");

        Assert.NotNull(message);
        Assert.Contains("line 2", message, StringComparison.Ordinal);
        Assert.Contains("'b'", message, StringComparison.Ordinal);
        Assert.Contains("'B'", message, StringComparison.Ordinal);
        Assert.Null(FirstDifference("a\nb\n", "a\nb\n"));
        Assert.Contains("line 3", FirstDifference("a\nb\n", "a\nb\nc\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void NormaliseAddress_LiveAddress_OnlyLocationReplaced()
    {
        const string wsdl = """
            <soap:address location="https://127.0.0.1:40123/soap/v1/KeyDistribution.svc" />
            <soap12:address location="https://127.0.0.1:40123/soap/v1/KeyDistribution.svc" />
            <other location="https://127.0.0.1:40123/x" />
            """;

        var normalised = NormaliseAddress(wsdl);

        Assert.Equal($"""
            <soap:address location="{AddressPlaceholder}" />
            <soap12:address location="{AddressPlaceholder}" />
            <other location="https://127.0.0.1:40123/x" />
            """, normalised);
    }

    /// <summary>GETs each of <paramref name="queries"/> on the SOAP path of a fresh installation, over mutual TLS.</summary>
    private static async Task<string[]> FetchAsync(params string[] queries)
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("kit");
        await host.RegisterTsmAsync("kit", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var bodies = new List<string>();
        foreach (var query in queries)
        {
            using var response = await client.GetAsync(new Uri(SoapWire.Path + query, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {query}: {(int)response.StatusCode}");
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        return [.. bodies];
    }

    /// <summary>
    /// The one <c>xsd:schema</c> of the WSDL's <c>wsdl:types</c> as a standalone document: the namespace declarations it
    /// inherits from <c>wsdl:definitions</c> that it uses (XML Schema's and its target namespace's) declared on it,
    /// indented by two spaces, LF line ends.
    /// </summary>
    private static string ExtractSchema(string wsdl)
    {
        XNamespace wsdlNs = "http://schemas.xmlsoap.org/wsdl/";
        XNamespace xsdNs = "http://www.w3.org/2001/XMLSchema";
        var document = XDocument.Parse(wsdl);
        var schemas = document.Root!.Elements(wsdlNs + "types").Elements(xsdNs + "schema").ToList();
        Assert.True(schemas.Count == 1, $"the WSDL's types hold {schemas.Count} schemas, the kit expects one");
        var source = schemas[0];
        var target = (string?)source.Attribute("targetNamespace");
        var schema = new XElement(source);
        var declared = schema.Attributes().Where(a => a.IsNamespaceDeclaration).Select(a => a.Name).ToHashSet();
        var inherited = source.Ancestors().SelectMany(a => a.Attributes())
            .Where(a => a.IsNamespaceDeclaration && !declared.Contains(a.Name) && (a.Value == xsdNs.NamespaceName || a.Value == target))
            .Select(a => new XAttribute(a.Name, a.Value))
            .ToList();
        schema.ReplaceAttributes(inherited.Concat(schema.Attributes().Select(a => new XAttribute(a))).ToList());
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), schema).Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Fails unless <paramref name="xsd"/> compiles as an XML schema on its own (every prefix declared, every type defined).</summary>
    private static void CompileSchema(string xsd)
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(new StringReader(xsd));
        set.Add(null, reader);
        set.Compile();
        Assert.True(set.IsCompiled);
    }

    private static string NormaliseAddress(string wsdl) =>
        AddressLocation().Replace(wsdl, match => match.Groups["open"].Value + AddressPlaceholder + "\"");

    private static void CompareOrWrite(string fileName, string live)
    {
        var path = Path.Combine(Repository.Root, "docs", "tsm", fileName);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(path, live);
            Assert.Fail($"{WriteVariable}=1: wrote docs/tsm/{fileName} from the live service; review the diff, commit, and run again without it");
        }

        Assert.True(File.Exists(path), $"docs/tsm/{fileName} is missing (regenerate: docs/tsm/README.md)");
        var difference = FirstDifference(File.ReadAllText(path), live);
        Assert.True(difference is null, $"docs/tsm/{fileName} differs from what the service publishes: {difference} (regenerate: docs/tsm/README.md)");
    }

    /// <summary>Null when equal; otherwise the first differing line, its number and both texts.</summary>
    private static string? FirstDifference(string file, string live)
    {
        var fileLines = file.Split('\n');
        var liveLines = live.Split('\n');
        for (var i = 0; i < Math.Max(fileLines.Length, liveLines.Length); i++)
        {
            var inFile = i < fileLines.Length ? fileLines[i] : null;
            var inLive = i < liveLines.Length ? liveLines[i] : null;
            if (inFile != inLive)
            {
                return $"line {i + 1}: file has {Quote(inFile)}, the service {Quote(inLive)}";
            }
        }

        return null;
    }

    private static string Quote(string? line) => line is null ? "no such line" : $"'{line.TrimEnd('\r')}'";

    [GeneratedRegex("""(?<open><soap(?:12)?:address\s+location=")[^"]*" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AddressLocation();
}
