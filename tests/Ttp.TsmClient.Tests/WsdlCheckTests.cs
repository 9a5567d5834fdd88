extern alias tsm;

using System.Security.Cryptography.X509Certificates;
using tsm::Ttp.TsmClient.Ttp;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// The client's contract against the WSDL the running TTP publishes: it matches as it is, and each kind of difference a
/// server change could make is named (a response element renamed, a new required request element, another SOAP action).
/// </summary>
public sealed class WsdlCheckTests(ProvisionRig rig) : IClassFixture<ProvisionRig>
{
    [Fact]
    public async Task Check_LiveWsdl_Matches()
    {
        var wsdl = await LiveWsdlAsync();

        var summary = WsdlCheck.Check(wsdl);

        Assert.Equal("operation WSGetDiversifiedKeys (action urn:ttp:keydistribution:v1:WSGetDiversifiedKeys), 8 request fields, response and key elements match", summary);
    }

    [Fact]
    public async Task Check_ResponseElementRenamed_NamesIt()
    {
        var wsdl = Replace(await LiveWsdlAsync(), "name=\"KekCheckValue\"", "name=\"KekKcv\"");

        var error = Assert.Throws<WsdlMismatchException>(() => WsdlCheck.Check(wsdl));

        Assert.Contains("WSGetDiversifiedKeysResponse/KekCheckValue is not in the WSDL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_KeyElementRenamed_NamesItsPath()
    {
        var wsdl = Replace(await LiveWsdlAsync(), "name=\"CheckValue\"", "name=\"Kcv\"");

        var error = Assert.Throws<WsdlMismatchException>(() => WsdlCheck.Check(wsdl));

        Assert.Contains("WSGetDiversifiedKeysResponse/Keys/Key/CheckValue is not in the WSDL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NewRequiredRequestElement_SaysClientDoesNotSendIt()
    {
        var live = await LiveWsdlAsync();
        var kekIndex = live.IndexOf("name=\"KekIndex\"", StringComparison.Ordinal);
        var start = live.LastIndexOf('<', kekIndex);
        var element = live[start..(live.IndexOf('>', kekIndex) + 1)];
        var prefix = element[1..element.IndexOf(' ', StringComparison.Ordinal)];
        var wsdl = live.Insert(start, $"<{prefix} minOccurs=\"1\" maxOccurs=\"1\" name=\"TsmReference\" type=\"{TypePrefix(element)}string\" />");

        var error = Assert.Throws<WsdlMismatchException>(() => WsdlCheck.Check(wsdl));

        Assert.Contains("WSGetDiversifiedKeysRequest/TsmReference is required by the WSDL and the client does not send it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OtherSoapAction_NamesBoth()
    {
        var wsdl = Replace(await LiveWsdlAsync(), "soapAction=\"urn:ttp:keydistribution:v1:WSGetDiversifiedKeys\"", "soapAction=\"urn:ttp:keydistribution:v2:WSGetDiversifiedKeys\"");

        var error = Assert.Throws<WsdlMismatchException>(() => WsdlCheck.Check(wsdl));

        Assert.Contains("'urn:ttp:keydistribution:v2:WSGetDiversifiedKeys', the client sends 'urn:ttp:keydistribution:v1:WSGetDiversifiedKeys'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NotXml_SaysSo()
    {
        var error = Assert.Throws<WsdlMismatchException>(() => WsdlCheck.Check("<html>"));

        Assert.StartsWith("the WSDL is not XML", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> LiveWsdlAsync()
    {
        using var certificate = X509Certificate2.CreateFromPemFile(rig.ClientCertificateFile, rig.ClientKeyFile);
        using var pkcs12 = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        using var client = rig.Host.CreateSoapClient(pkcs12);
        return await client.GetStringAsync("soap/v1/KeyDistribution.svc?wsdl");
    }

    private static string Replace(string wsdl, string from, string to)
    {
        Assert.Contains(from, wsdl, StringComparison.Ordinal);
        return wsdl.Replace(from, to, StringComparison.Ordinal);
    }

    // The prefix the schema uses for XML Schema's types, e.g. "xs:" from type="xs:int".
    private static string TypePrefix(string element)
    {
        var type = element.IndexOf("type=\"", StringComparison.Ordinal) + 6;
        return element[type..(element.IndexOf(':', type) + 1)];
    }
}
