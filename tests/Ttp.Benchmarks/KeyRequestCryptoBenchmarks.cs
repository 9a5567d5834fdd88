using BenchmarkDotNet.Attributes;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;

namespace Ttp.Benchmarks;

/// <summary>
/// The crypto of one <c>WSGetDiversifiedKeys</c> request, through the service's own code (<see cref="KeyDelivery"/>, the
/// envelopes already opened): derive ENC/MAC/DEK, compute their check values, wrap each in a TR-31 key block with its
/// KC, KP and TS blocks under the TSM's KEK. Target (issues 2 and 12): at most 25 us and 8 KiB per request.
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
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

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

    // The wrappers a request finds kept for its KEK (KekWrappers, one per directory copy): the steady state.
    private readonly Tr31Wrapper _aesWrapper = Tr31KeyBlock.CreateWrapper(AesKek, 'D');
    private readonly Tr31Wrapper _tdesWrapper = Tr31KeyBlock.CreateWrapper(TdesKek, 'B');

    [Benchmark(Description = "SCP03 request: KDF3 + 3 KCVs + 3 TR-31 D blocks with KC, KP, TS (AES-256 KEK, wrapper kept)")]
    public object RequestScp03() => KeyDelivery.DeliverTr31(
        SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, 1, AesMasterKey, _aesWrapper, Kdd, Now);

    [Benchmark(Description = "SCP02 request: EMV CPS + 3 KCVs + 3 TR-31 B blocks with KC, KP, TS (TDES KEK, wrapper kept)")]
    public object RequestScp02() => KeyDelivery.DeliverTr31(
        SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, 1, TdesMasterKey, _tdesWrapper, Kdd, Now);

    [Benchmark(Description = "SCP02 request, first under its KEK (wrapper made: KBEK/KBAK derived)")]
    public object RequestScp02FirstUnderKek()
    {
        using var wrapper = Tr31KeyBlock.CreateWrapper(TdesKek, 'B');
        return KeyDelivery.DeliverTr31(SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, 1, TdesMasterKey, wrapper, Kdd, Now);
    }

    [Benchmark(Description = "KCV: DES (3DES over 8x00)")]
    public byte[] KcvDes() => KeyCheckValue.Des(TdesMasterKey);

    [Benchmark(Description = "KCV: AES GlobalPlatform (16x01)")]
    public byte[] KcvAesGp() => KeyCheckValue.AesGlobalPlatform(AesMasterKey);

    [Benchmark(Description = "KCV: AES-CMAC (X9.24-1)")]
    public byte[] KcvAesCmac() => KeyCheckValue.AesCmac(AesMasterKey);
}
