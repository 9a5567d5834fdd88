namespace Ttp.CardSimulator.Tests;

/// <summary>The card file: what a valid one gives, and a message naming the field for each fault, never a key.</summary>
public sealed class CardProfileTests
{
    private const string OtherKey = "000102030405060708090A0B0C0D0E0F";

    [Fact]
    public void Parse_ValidScp02Card_ReadsEveryField()
    {
        var profile = CardProfile.Parse(TestCards.Json("02", "55", "20", "069F", TestCards.DefaultKey, TestCards.DefaultKey, OtherKey, "000074746E6E6E626262"));

        Assert.Equal(0x069F, profile.SequenceCounter);
        Assert.Equal("000074746E6E6E626262", Convert.ToHexString(profile.Kdd));
        Assert.Equal(TestCards.Url, profile.SecurityDomainManagerUrl);
        Assert.Equal(CardProfile.DefaultIsdAid, Convert.ToHexString(profile.IsdAid));
        var keySet = Assert.Single(profile.KeySets);
        Assert.Equal(0x20, keySet.KeyVersion);
        Assert.Equal(ScpVersion.Scp02, keySet.Scp);
        Assert.Equal(0x55, keySet.Option);
        Assert.Equal(OtherKey, Convert.ToHexString(keySet.Dek));
    }

    [Theory]
    [InlineData("02", "15", "01", "0000", "404142434445464748494A4B4C4D4E", "keySets[0].keys.enc")]
    [InlineData("02", "15", "01", "0000", "404142434445464748494A4B4C4D4E4G", "keySets[0].keys.enc")]
    [InlineData("02", "70", "01", "0000", TestCards.DefaultKey, "keySets[0].i")]
    [InlineData("03", "15", "01", "000000", TestCards.DefaultKey, "keySets[0].i")]
    [InlineData("04", "15", "01", "0000", TestCards.DefaultKey, "keySets[0].scp")]
    [InlineData("02", "15", "80", "0000", TestCards.DefaultKey, "keySets[0].kvn")]
    [InlineData("02", "15", "01", "010000", TestCards.DefaultKey, "sequenceCounter")]
    public void Parse_InvalidField_ThrowsNamingFieldWithoutKey(string scp, string i, string kvn, string counter, string enc, string field)
    {
        var json = TestCards.Json(scp, i, kvn, counter, enc, TestCards.DefaultKey, TestCards.DefaultKey);

        var error = Assert.Throws<CardProfileException>(() => CardProfile.Parse(json));

        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(enc[..16], error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("4041424344", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShortKdd_ThrowsNamingKdd()
    {
        var json = TestCards.Json("02", "15", "01", "0000", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey, "0000");

        var error = Assert.Throws<CardProfileException>(() => CardProfile.Parse(json));

        Assert.StartsWith("kdd:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_ThrowsNamingCard()
    {
        var error = Assert.Throws<CardProfileException>(() => CardProfile.Parse("{\"iin\": "));

        Assert.StartsWith("card:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoKeySets_ThrowsNamingKeySets()
    {
        var error = Assert.Throws<CardProfileException>(() => CardProfile.Parse(
            "{\"iin\":\"00\",\"cin\":\"00\",\"kdd\":\"00000000000000000000\",\"securityDomainManagerUrl\":\"x\",\"sequenceCounter\":\"0000\",\"keySets\":[]}"));

        Assert.StartsWith("keySets:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Scp03KeysOfDifferentLengths_ThrowsNamingKeys()
    {
        var json = TestCards.Json("03", "00", "01", "000000", TestCards.DefaultKey, TestCards.DefaultKey + TestCards.DefaultKey, TestCards.DefaultKey);

        var error = Assert.Throws<CardProfileException>(() => CardProfile.Parse(json));

        Assert.StartsWith("keySets[0].keys:", error.Message, StringComparison.Ordinal);
    }
}
