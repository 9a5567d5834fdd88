using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// <see cref="KeyDelivery"/>: the TR-31 header policy (one table, written out here independently) and the blocks it
/// delivers for each card key of SCP02 and SCP03 key sets under TDES and AES KEKs, opened under the KEK.
/// </summary>
public sealed class KeyDeliveryTests
{
    // Key, scheme, block version => usage, algorithm, mode of use (docs/DESIGN.md section 5).
    public static TheoryData<StaticKeyId, SecureChannelScheme, char, string, char, char> HeaderPolicy() => new()
    {
        { StaticKeyId.Enc, SecureChannelScheme.Scp02, 'B', "D0", 'T', 'B' },
        { StaticKeyId.Mac, SecureChannelScheme.Scp02, 'B', "M3", 'T', 'C' },
        { StaticKeyId.Dek, SecureChannelScheme.Scp02, 'B', "K0", 'T', 'B' },
        { StaticKeyId.Enc, SecureChannelScheme.Scp02, 'D', "D0", 'T', 'B' },
        { StaticKeyId.Mac, SecureChannelScheme.Scp02, 'D', "M3", 'T', 'C' },
        { StaticKeyId.Dek, SecureChannelScheme.Scp02, 'D', "K0", 'T', 'B' },
        { StaticKeyId.Enc, SecureChannelScheme.Scp03, 'B', "D0", 'A', 'B' },
        { StaticKeyId.Mac, SecureChannelScheme.Scp03, 'B', "M6", 'A', 'C' },
        { StaticKeyId.Dek, SecureChannelScheme.Scp03, 'B', "K0", 'A', 'B' },
        { StaticKeyId.Enc, SecureChannelScheme.Scp03, 'D', "D0", 'A', 'B' },
        { StaticKeyId.Mac, SecureChannelScheme.Scp03, 'D', "M6", 'A', 'C' },
        { StaticKeyId.Dek, SecureChannelScheme.Scp03, 'D', "K0", 'A', 'B' },
    };

    [Theory]
    [MemberData(nameof(HeaderPolicy))]
    public void Tr31HeaderOf_EachCardKey_UsageAlgorithmModeKvnExportability(
        StaticKeyId key, SecureChannelScheme scheme, char version, string usage, char algorithm, char mode)
    {
        Tr31OptionalBlock[] blocks = [new("KC", "0012345"), new("TS", "20260601120000Z")];

        var header = KeyDelivery.Tr31HeaderOf(key, scheme, 0x2A, version, blocks);

        Assert.Equal(version, header.Version);
        Assert.Equal(usage, header.KeyUsage);
        Assert.Equal(algorithm, header.Algorithm);
        Assert.Equal(mode, header.ModeOfUse);
        Assert.Equal("2A", header.KeyVersionNumber);
        Assert.Equal('E', header.Exportability);
        Assert.Equal("00", header.KeyContext);
        Assert.Equal(blocks, header.OptionalBlocks);
    }

    [Fact]
    public void UsageName_EachCardKey_WireNameAndIdentifier()
    {
        Assert.Equal([StaticKeyId.Enc, StaticKeyId.Mac, StaticKeyId.Dek], KeyDelivery.CardKeys);
        Assert.Equal(["ENC", "MAC", "DEK"], KeyDelivery.CardKeys.Select(KeyDelivery.UsageName));
        Assert.Equal([1, 2, 3], KeyDelivery.CardKeys.Select(k => (int)k));
    }

    public static TheoryData<DatabaseProvider, SecureChannelScheme, KekAlgorithm> Tr31Deliveries()
    {
        var data = new TheoryData<DatabaseProvider, SecureChannelScheme, KekAlgorithm>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, SecureChannelScheme.Scp02, KekAlgorithm.Tdes2);
            data.Add(provider, SecureChannelScheme.Scp02, KekAlgorithm.Tdes3);
            data.Add(provider, SecureChannelScheme.Scp02, KekAlgorithm.Aes128);
            data.Add(provider, SecureChannelScheme.Scp03, KekAlgorithm.Aes128);
            data.Add(provider, SecureChannelScheme.Scp03, KekAlgorithm.Aes256);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tr31Deliveries))]
    public async Task Deliver_Tr31Kek_EachKeyInABlockWithThePolicyHeaderAndCheckValues(DatabaseProvider provider, SecureChannelScheme scheme, KekAlgorithm kekAlgorithm)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddTsmAsync("acme", [Iin]);
        var kekBytes = Hex.Parse(KekOf(kekAlgorithm), "kek");
        var kek = await env.AddKekAsync("acme", 1, kekAlgorithm, KekFormat.Tr31, kekBytes);
        var (method, kvn) = scheme == SecureChannelScheme.Scp02 ? (DiversificationMethod.EmvCps11, 0xFF) : (DiversificationMethod.Kdf3, 0x01);
        var master = Hex.Parse(Master16, "master");
        var set = await env.AddKeySetAsync(Iin, kvn, scheme, method, master);
        var kdd = Hex.Parse(KddGpPro, "kdd");
        var now = new DateTimeOffset(2026, 6, 1, 12, 34, 56, TimeSpan.Zero);

        // Twice with one set of wrappers: the second request is served by the wrapper the first gave back.
        using var wrappers = new KekWrappers();
        var vault = env.Services.GetRequiredService<KeyVault>();
        var first = KeyDelivery.Deliver(vault, set, kek, wrappers, kdd, now);
        var delivered = KeyDelivery.Deliver(vault, set, kek, wrappers, kdd, now);
        Assert.Equal(first.Select(k => k.CheckValue), delivered.Select(k => k.CheckValue));
        Assert.NotEqual(first.Select(k => k.KeyBlock), delivered.Select(k => k.KeyBlock)); // random padding: fresh blocks

        var aesKek = Kek.IsAes(kekAlgorithm);
        var aesKeys = scheme == SecureChannelScheme.Scp03;
        using var expected = KeyDiversification.DeriveAll(method, master, kdd);
        byte[][] keys = [expected.Enc, expected.Mac, expected.Dek];
        Assert.Equal(3, delivered.Count);
        for (var i = 0; i < 3; i++)
        {
            var key = delivered[i];
            Assert.Equal(KeyDelivery.CardKeys[i], key.Key);
            Assert.Null(key.Cryptogram);
            Assert.Equal(aesKeys ? "AES" : "TDES", key.Algorithm);
            Assert.Equal(16, key.Length);
            Assert.Equal(Hex.Encode(aesKeys ? KeyCheckValue.AesGlobalPlatform(keys[i]) : KeyCheckValue.Des(keys[i])), key.CheckValue);

            using var opened = Tr31KeyBlock.Unwrap(kekBytes, key.KeyBlock!);
            Assert.Equal(keys[i], opened.Key.ToArray());
            var header = opened.Header;
            Assert.Equal(aesKek ? 'D' : 'B', header.Version);
            Assert.Equal(i switch { 0 => "D0", 1 => aesKeys ? "M6" : "M3", _ => "K0" }, header.KeyUsage);
            Assert.Equal(aesKeys ? 'A' : 'T', header.Algorithm);
            Assert.Equal(i == 1 ? 'C' : 'B', header.ModeOfUse);
            Assert.Equal(kvn.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), header.KeyVersionNumber);
            Assert.Equal('E', header.Exportability);
            Assert.Equal(["KC", "KP", "TS"], header.OptionalBlocks.Select(b => b.Id));
            Assert.Equal(Tr31OptionalBlock.KeyCheckValueOf(keys[i], aesKeys), header.FindOptionalBlock("KC"));
            Assert.Equal(Tr31OptionalBlock.KbpkCheckValueOf(kekBytes, aesKek), header.FindOptionalBlock("KP"));
            Assert.Equal("20260601123456Z", header.FindOptionalBlock("TS")!.Data);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deliver_GpKek_EachKeyACryptogramUnderTheKek(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddTsmAsync("acme", [Iin]);
        var kekBytes = Hex.Parse(Aes128Kek, "kek");
        var kek = await env.AddKekAsync("acme", 1, KekAlgorithm.Aes128, KekFormat.GpEncrypted, kekBytes);
        var master = Hex.Parse(Master16, "master");
        var set = await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, master);
        var kdd = Hex.Parse(KddGpPro, "kdd");

        using var wrappers = new KekWrappers();
        var delivered = KeyDelivery.Deliver(env.Services.GetRequiredService<KeyVault>(), set, kek, wrappers, kdd, DateTimeOffset.UtcNow);

        using var expected = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, master, kdd);
        byte[][] keys = [expected.Enc, expected.Mac, expected.Dek];
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(delivered[i].KeyBlock);
            Assert.Equal(keys[i], GpKeyEncryption.DecryptAes(kekBytes, Hex.Parse(delivered[i].Cryptogram, "cryptogram")));
            Assert.Equal(Hex.Encode(KeyCheckValue.Des(keys[i])), delivered[i].CheckValue);
        }
    }

    private static string KekOf(KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => Tdes2Kek,
        KekAlgorithm.Tdes3 => Tdes3Kek,
        KekAlgorithm.Aes128 => Aes128Kek,
        KekAlgorithm.Aes256 => Aes256Kek,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
