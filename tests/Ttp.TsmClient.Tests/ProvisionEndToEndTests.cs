using Ttp.Crypto;
using Xunit.Abstractions;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// Steps 1 to 8 of the scheme with nothing simulated but the card: the portal on real Kestrel with real TLS, the card
/// simulator over HTTP, and ttp-tsm using only the public SOAP contract. Each sample card carries the static keys of a
/// published vector (samples/README.md); the TTP holds the vectors' master keys. A card that opens with the delivered keys
/// and takes the TSM's key set is the proof.
/// </summary>
public sealed class ProvisionEndToEndTests(ProvisionRig rig, ITestOutputHelper log) : IClassFixture<ProvisionRig>
{
    public static TheoryData<string, string, int> Cards() => new()
    {
        { "scp02-emv.json", "new-keys-scp02.json", 1 },
        { "scp02-emv.json", "new-keys-scp02.json", 2 },
        { "scp02-visa2.json", "new-keys-scp02.json", 1 },
        { "scp02-visa2.json", "new-keys-scp02.json", 2 },
        { "scp03-kdf3-aes128.json", "new-keys-aes128.json", 1 },
        { "scp03-kdf3-aes128.json", "new-keys-aes128.json", 2 },
        { "scp03-kdf3-aes256.json", "new-keys-aes256.json", 1 },
        { "scp03-kdf3-aes256.json", "new-keys-aes256.json", 2 },
    };

    [Theory]
    [MemberData(nameof(Cards))]
    public async Task Provision_PublishedVectorCard_RotatesCardToTsmKeySet(string cardFile, string newKeysFile, int kekIndex)
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card(cardFile));
        var newKeys = NewKeySet(newKeysFile);

        var run = await rig.ProvisionAsync(card.Url, newKeysFile, kekIndex);
        log.WriteLine(run.ToString());

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal(new[] { "card", "ttp", "wsdl", "ttp", "unwrap", "channel", "put-key", "verify", "done" }, Steps(run.Output));
        Assert.Contains(kekIndex == 1 ? "TR31 under KEK 1" : "GP under KEK 2", run.Output, StringComparison.Ordinal);
        // The card now holds exactly the TSM's key set: the TTP's keys no longer open it.
        var keySet = Assert.Single(card.Element.Card.KeySets);
        Assert.Equal(0x30, keySet.KeyVersion);
        Assert.Equal(newKeys, new[] { Hex.Encode(keySet.Enc), Hex.Encode(keySet.Mac), Hex.Encode(keySet.Dek) });
        AssertNoKeyPrinted(run, cardFile, newKeysFile);
    }

    [Fact]
    public async Task Provision_SecurityLevelMacOnly_RotatesCard()
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card("scp03-kdf3-aes128.json"));

        var run = await rig.ProvisionAsync(card.Url, "new-keys-aes128.json", 1, "--security-level", "mac");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("C-MAC:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_ScpO3WithResponseMac_ChecksEveryAnswerAndRotates()
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card("scp03-kdf3-aes128.json"));

        var run = await rig.ProvisionAsync(card.Url, "new-keys-aes128.json", 1, "--security-level", "mac-enc-rmac");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("C-MAC + C-DECRYPTION + R-MAC", run.Output, StringComparison.Ordinal);
    }

    private static string[] NewKeySet(string file)
    {
        var keys = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ProvisionRig.NewKeys(file)))!["keys"]!;
        return [keys["enc"]!.GetValue<string>(), keys["mac"]!.GetValue<string>(), keys["dek"]!.GetValue<string>()];
    }

    internal static string[] Steps(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)[0])];

    /// <summary>No key of the card, the TSM's new key set or the KEK appears in what ttp-tsm printed.</summary>
    internal static void AssertNoKeyPrinted(ClientRun run, string cardFile, string newKeysFile)
    {
        var card = SimulatedCard.Sample(cardFile)["keySets"]![0]!["keys"]!.AsObject();
        var secrets = card.Select(k => k.Value!.GetValue<string>()).Concat(NewKeySet(newKeysFile))
            .Append(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "tsm", "kek-aes256.json")))!["key"]!.GetValue<string>());
        foreach (var secret in secrets)
        {
            // Any 8 hex digits of a key (e.g. a key half) would be a leak.
            for (var i = 0; i + 8 <= secret.Length; i += 8)
            {
                Assert.DoesNotContain(secret.Substring(i, 8), run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
