using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// The portal's console log with <c>Logging:Console:FormatterName=json</c> (the framework's JSON console formatter, its
/// options in appsettings.json): one JSON object a line with a UTC timestamp, level, category, event id, message and
/// scopes; a key request and an expected refusal log no key material, no Error and no stack trace.
/// </summary>
[Collection(ConsoleOutputCollection.Name)]
public sealed partial class JsonConsoleLogTests
{
    // The published EMV CPS 1.1 vector (as in KeyDistributionEndpointTests): master key, KEK, and the card keys.
    private const string Master = "404142434445464748494A4B4C4D4E4F";
    private const string Kek = "0123456789ABCDEFFEDCBA9876543210";
    private static readonly string[] CardKeys = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];

    [Fact]
    public async Task ConsoleLog_JsonFormatterAndKeyRequests_EveryLineJsonWithFieldsAndNoKeyMaterial()
    {
        var console = new StringWriter(CultureInfo.InvariantCulture);
        var original = Console.Out;
        SoapReply served;
        SoapReply refused;
        Console.SetOut(console);
        try
        {
            using var host = new PortalHost(new Dictionary<string, string>
            {
                ["Logging:Console:FormatterName"] = "json",
                ["Logging:LogLevel:Ttp"] = "Trace",
            });
            using var certificate = TestClientCertificates.Create("acme");
            await host.RegisterTsmAsync("acme", certificate, "A0000001");
            await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(Kek));
            await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
            using var soap = host.CreateSoapClient(certificate);

            served = await SoapWire.PostAsync(soap, SoapWire.Request());
            refused = await SoapWire.PostAsync(soap, SoapWire.Request(iin: "A0000002"));
        }
        finally
        {
            // The host is disposed: its console logger has written every queued line.
            Console.SetOut(original);
        }

        Assert.Equal(3, served.Keys.Count);
        Assert.True(refused.IsFault, refused.Body);
        Assert.Equal("ScopeDenied", refused.FaultCode);
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        foreach (var entry in entries)
        {
            var timestamp = entry.GetProperty("Timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), timestamp);
            Assert.Contains(entry.GetProperty("LogLevel").GetString(), new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical" });
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()));
            Assert.Equal(JsonValueKind.Number, entry.GetProperty("EventId").ValueKind);
            Assert.Equal(JsonValueKind.String, entry.GetProperty("Message").ValueKind);
        }

        // The key requests' own lines carry the request's scope (its path on the SOAP port).
        Assert.Contains(entries, e => e.TryGetProperty("Scopes", out var scopes)
            && scopes.ToString().Contains("/soap/v1/KeyDistribution.svc", StringComparison.Ordinal));

        // No key in any line: not the master key, the KEK, a card key, nor what was sent (the cryptograms, check values).
        var sent = HexRun().Matches(served.Body).Select(m => m.Value).Where(hex => hex.Length >= 16);
        var text = console.ToString();
        foreach (var secret in new[] { Master, Kek }.Concat(CardKeys).Concat(sent))
        {
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"the console log holds {secret[..6]}...");
        }

        // An expected refusal is no error: nothing at Error or above, no exception, no stack trace.
        Assert.DoesNotContain(entries, e => e.GetProperty("LogLevel").GetString() is "Error" or "Critical");
        Assert.DoesNotContain(entries, e => e.TryGetProperty("Exception", out _));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("[0-9A-Fa-f]+")]
    private static partial Regex HexRun();
}

/// <summary>The tests that read the process's console output: run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutputCollection
{
    public const string Name = "Console output (alone)";
}
