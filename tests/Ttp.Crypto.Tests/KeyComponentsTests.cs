namespace Ttp.Crypto.Tests;

// No published key-component example with its combined key was found in the sources searched; these tests check the
// properties instead, with the combined key identified by its published check value where one exists.
public class KeyComponentsTests
{
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Combine_SplitComponents_RestoresKey(int count)
    {
        var key = Convert.FromHexString(DefaultKey);

        var components = KeyComponents.Split(key, count);
        var combined = KeyComponents.Combine(components);

        Assert.Equal(count, components.Length);
        Assert.Equal(DefaultKey, Hex.Encode(combined));
        // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testSessionKeys_SCP01: check value of the default key.
        Assert.Equal("8BAF47", Hex.Encode(KeyCheckValue.Des(combined)));
    }

    [Fact]
    public void Split_AesKey_EveryComponentDiffersFromKeyAndHasItsLength()
    {
        var key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");

        var components = KeyComponents.Split(key, 3);

        Assert.All(components, component =>
        {
            Assert.Equal(key.Length, component.Length);
            Assert.NotEqual(Hex.Encode(key), Hex.Encode(component));
        });
        Assert.NotEqual(Hex.Encode(components[0]), Hex.Encode(components[1]));
    }

    [Fact]
    public void Combine_TwoComponents_ReturnsTheirXor()
    {
        var first = Convert.FromHexString("0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F");
        var second = Convert.FromHexString("4F4E4D4C4B4A49484746454443424140");

        var combined = KeyComponents.Combine([first, second]);

        Assert.Equal(DefaultKey, Hex.Encode(combined));
    }

    [Fact]
    public void Combine_OneComponent_ThrowsForComponent()
    {
        var error = Assert.Throws<CryptoInputException>(() => KeyComponents.Combine([new byte[16]]));

        Assert.Equal("component", error.Field);
    }

    [Fact]
    public void Combine_ComponentsOfDifferentLengths_ThrowsForComponent()
    {
        var error = Assert.Throws<CryptoInputException>(() => KeyComponents.Combine([new byte[16], new byte[24]]));

        Assert.Equal("component", error.Field);
        Assert.Contains("component 2", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_EmptyComponents_ThrowsForComponent()
    {
        var error = Assert.Throws<CryptoInputException>(() => KeyComponents.Combine([[], []]));

        Assert.Equal("component", error.Field);
    }

    [Fact]
    public void Split_OneComponent_ThrowsForComponents()
    {
        var error = Assert.Throws<CryptoInputException>(() => KeyComponents.Split(new byte[16], 1));

        Assert.Equal("components", error.Field);
    }

    [Fact]
    public void Split_EmptyKey_ThrowsForKey()
    {
        var error = Assert.Throws<CryptoInputException>(() => KeyComponents.Split([], 2));

        Assert.Equal("key", error.Field);
    }
}
