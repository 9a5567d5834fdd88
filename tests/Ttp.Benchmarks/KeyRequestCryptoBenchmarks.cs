using BenchmarkDotNet.Attributes;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;

namespace Ttp.Benchmarks;

/// <summary>
/// The crypto of one <c>WSGetDiversifiedKeys</c> request: derive ENC/MAC/DEK, compute their check values, wrap
/// each in a TR-31 key block under the TSM's KEK. Target (issue 2): at most 25 us and 8 KiB per request.
/// Keys are benchmark constants (GlobalPlatform default test key and fixed test bytes), not secrets.
/// </summary>
[MemoryDiagnoser]
public class KeyRequestCryptoBenchmarks
{
    private static readonly byte[] Kdd = Convert.FromHexString("00003266201710208650");
    private static readonly byte[] TdesMasterKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");
    private static readonly byte[] AesMasterKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");
    private static readonly byte[] AesKek = Convert.FromHexString("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6");
    private static readonly byte[] TdesKek = Convert.FromHexString("89E88CF7931444F334BD7547FC3F380C");

    [Benchmark(Description = "SCP02: diversify 3 keys (EMV CPS 1.1)")]
    public byte[] DiversifyEmv()
    {
        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, TdesMasterKey, Kdd);
        return keys.Dek;
    }

    [Benchmark(Description = "SCP03: diversify 3 keys (KDF3, AES-128)")]
    public byte[] DiversifyKdf3()
    {
        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, AesMasterKey, Kdd);
        return keys.Dek;
    }

    [Benchmark(Description = "SCP03 request: KDF3 + 3 KCVs + 3 TR-31 D blocks (AES-256 KEK)")]
    public string Scp03Request()
    {
        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, AesMasterKey, Kdd);
        using var wrapper = Tr31KeyBlock.CreateWrapper(AesKek, 'D');
        var enc = Wrap(wrapper, "D0", 'A', 'B', keys.Enc, KeyCheckValue.AesGlobalPlatform(keys.Enc));
        var mac = Wrap(wrapper, "M6", 'A', 'C', keys.Mac, KeyCheckValue.AesGlobalPlatform(keys.Mac));
        var dek = Wrap(wrapper, "K0", 'A', 'B', keys.Dek, KeyCheckValue.AesGlobalPlatform(keys.Dek));
        return enc.Length + mac.Length + dek.Length > 0 ? dek : mac;
    }

    [Benchmark(Description = "SCP02 request: EMV CPS + 3 KCVs + 3 TR-31 B blocks (TDES KEK)")]
    public string Scp02Request()
    {
        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, TdesMasterKey, Kdd);
        using var wrapper = Tr31KeyBlock.CreateWrapper(TdesKek, 'B');
        var enc = Wrap(wrapper, "D0", 'T', 'B', keys.Enc, KeyCheckValue.Des(keys.Enc));
        var mac = Wrap(wrapper, "M3", 'T', 'C', keys.Mac, KeyCheckValue.Des(keys.Mac));
        var dek = Wrap(wrapper, "K0", 'T', 'B', keys.Dek, KeyCheckValue.Des(keys.Dek));
        return enc.Length + mac.Length + dek.Length > 0 ? dek : mac;
    }

    [Benchmark(Description = "KCV: DES (3DES over 8x00)")]
    public byte[] KcvDes() => KeyCheckValue.Des(TdesMasterKey);

    [Benchmark(Description = "KCV: AES GlobalPlatform (16x01)")]
    public byte[] KcvAesGp() => KeyCheckValue.AesGlobalPlatform(AesMasterKey);

    [Benchmark(Description = "KCV: AES-CMAC (X9.24-1)")]
    public byte[] KcvAesCmac() => KeyCheckValue.AesCmac(AesMasterKey);

    // One wrapper per request: KBEK/KBAK are derived once for the three blocks (what the key-request service does).
    private static string Wrap(Tr31Wrapper wrapper, string usage, char algorithm, char mode, byte[] key, byte[] kcv)
    {
        _ = kcv;
        var header = new Tr31Header
        {
            Version = wrapper.Version,
            KeyUsage = usage,
            Algorithm = algorithm,
            ModeOfUse = mode,
            KeyVersionNumber = "01",
            Exportability = 'E',
            KeyContext = "00",
            OptionalBlocks = [],
        };
        return wrapper.Wrap(header, key);
    }
}
