using System.Text.Json;
using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>Card files and cards for the tests; keys come from published vectors (each caller cites its source).</summary>
internal static class TestCards
{
    /// <summary>The GlobalPlatform default test key 40..4F (GlobalPlatformPro, kaoh/globalplatform OPGP_VISA_DEFAULT_KEY).</summary>
    public const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    public const string Url = "https://ttp.example.test/ws";

    public static string Json(
        string scp,
        string i,
        string kvn,
        string counter,
        string enc,
        string mac,
        string dek,
        string kdd = "00000000000000000000",
        string? isdAid = null)
    {
        var card = new Dictionary<string, object>
        {
            ["iin"] = "000000",
            ["cin"] = "0000",
            ["kdd"] = kdd,
            ["securityDomainManagerUrl"] = Url,
            ["sequenceCounter"] = counter,
            ["keySets"] = new[] { new { kvn, scp, i, keys = new { enc, mac, dek } } },
        };
        if (isdAid is not null)
        {
            card["isdAid"] = isdAid;
        }

        return JsonSerializer.Serialize(card);
    }

    public static SecureElement Card(string json, string? cardChallenge = null)
    {
        var challenge = cardChallenge is null ? null : Convert.FromHexString(cardChallenge);
        CardRandom random = destination =>
        {
            if (challenge is null)
            {
                destination.Fill(0x5A);
                return;
            }

            Assert.Equal(challenge.Length, destination.Length);
            challenge.CopyTo(destination);
        };
        return new SecureElement(CardProfile.Parse(json), random);
    }

    /// <summary>An SCP02 card with the default keys, i=15, KVN 01.</summary>
    public static SecureElement DefaultScp02(string counter = "0000", string? dek = null) =>
        Card(Json("02", "15", "01", counter, DefaultKey, DefaultKey, dek ?? DefaultKey), "AA2A0591E733");

    /// <summary>An SCP03 card with the default keys as AES-128, i=70 (pseudo-random challenge, R-MAC), KVN 30.</summary>
    public static SecureElement DefaultScp03(string i = "70") =>
        Card(Json("03", i, "30", "000001", DefaultKey, DefaultKey, DefaultKey), "0102030405060708");

    /// <summary>Sends a command given as hex and answers the response as hex.</summary>
    public static string Send(this SecureElement card, string commandHex) =>
        Hex.Encode(card.Process(Convert.FromHexString(commandHex)));
}
