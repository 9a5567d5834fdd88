using System.Collections.ObjectModel;
using System.Globalization;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// What a key request hands over (docs/DESIGN.md section 5): the card's three static keys derived from the issuer master
/// key, each wrapped under the TSM's KEK (a TR-31 key block or a GlobalPlatform cryptogram) with its check value.
/// </summary>
/// <remarks>
/// <para>TR-31 blocks (<see cref="Tr31HeaderOf"/>): version D under an AES KEK, B under a TDES KEK; usage D0 (ENC), M3
/// (SCP02 MAC) or M6 (SCP03 MAC), K0 (DEK); algorithm T or A; mode B, or C for the MAC key; key version = KVN in two hex
/// digits; exportability <c>E</c> (docs/DESIGN.md does not say: the TSM must be able to pass the key on to the card,
/// under the card's own key, which is what E allows); optional blocks KC, KP and TS.</para>
/// <para>GP format: a TDES KEK encrypts with 3DES-ECB, an AES KEK with AES-CBC and a zero ICV (the SCP02 keys under an
/// AES KEK included: one AES block each); AES-192 keys (24 bytes, not whole AES blocks) cannot be sent in GP format
/// and are refused before delivery (<see cref="KeyRequestService"/>).</para>
/// </remarks>
internal static class KeyDelivery
{
    /// <summary>The card's static keys, in the order they are delivered.</summary>
    public static readonly IReadOnlyList<StaticKeyId> CardKeys = [StaticKeyId.Enc, StaticKeyId.Mac, StaticKeyId.Dek];

    /// <summary>The key's name on the wire and in audit records: <c>ENC</c>, <c>MAC</c> or <c>DEK</c>.</summary>
    public static string UsageName(StaticKeyId key) => key switch
    {
        StaticKeyId.Enc => "ENC",
        StaticKeyId.Mac => "MAC",
        StaticKeyId.Dek => "DEK",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown static key."),
    };

    /// <summary>
    /// Derives the card's three keys of <paramref name="set"/> for <paramref name="kdd"/> and wraps each under
    /// <paramref name="kek"/> in its format, at <paramref name="now"/> (the TR-31 time stamp); a TR-31 KEK's wrapper comes
    /// from <paramref name="wrappers"/> (the directory copy's). Keys in clear live only here and are cleared on return.
    /// </summary>
    public static ReadOnlyCollection<DeliveredKey> Deliver(KeyVault vault, IssuerKeySet set, Kek kek, KekWrappers wrappers, byte[] kdd, DateTimeOffset now)
    {
        using var master = vault.Open(set.EnvelopeContext, set.Envelope);
        if (kek.Format == KekFormat.Tr31)
        {
            using var lease = wrappers.Rent(vault, kek);
            return DeliverTr31(set.Scheme, set.Method, set.Kvn, master.Bytes, lease.Wrapper, kdd, now);
        }

        using var kekKey = vault.Open(kek.EnvelopeContext, kek.Envelope);
        return DeliverGp(set.Scheme, set.Method, master.Bytes, kek.Algorithm, kekKey.Bytes, kdd);
    }

    /// <summary>
    /// The crypto of a TR-31 delivery with the master key (opened by the caller, who clears it) and the KEK's wrapper in
    /// hand: derive, check values, wrap with <c>KC</c>, <c>KP</c> and <c>TS</c>. What a request costs in crypto
    /// (tests/Ttp.Benchmarks, <c>KeyRequestCryptoBenchmarks</c>).
    /// </summary>
    public static ReadOnlyCollection<DeliveredKey> DeliverTr31(
        SecureChannelScheme scheme, DiversificationMethod method, int kvn, byte[] masterKey, Tr31Wrapper wrapper, byte[] kdd, DateTimeOffset now)
    {
        using var derived = KeyDiversification.DeriveAll(method, masterKey, kdd);
        var delivered = new DeliveredKey[CardKeys.Count];
        var kp = wrapper.KbpkCheckValueBlock();
        var ts = Tr31OptionalBlock.TimeStamp(now);
        for (var i = 0; i < delivered.Length; i++)
        {
            var id = CardKeys[i];
            var key = KeyOf(derived, id);
            var checkValue = scheme.CheckValue(key);

            // An SCP02 key's check value is the legacy one KC carries: computed once (a TDES key schedule each), and
            // not again by the wrapper, which is told the KC block was computed from this key.
            var kc = scheme == SecureChannelScheme.Scp02 ? Tr31OptionalBlock.LegacyKeyCheckValue(checkValue) : Tr31OptionalBlock.KeyCheckValueOf(key, aes: true);
            var header = Tr31HeaderOf(id, scheme, kvn, wrapper.Version, [kc, kp, ts]);
            delivered[i] = new DeliveredKey(id, AlgorithmName(scheme), key.Length, wrapper.Wrap(header, key, keyCheckValueComputedFromKey: true), null, Hex.Encode(checkValue));
        }

        return Array.AsReadOnly(delivered);
    }

    /// <summary>The crypto of a GlobalPlatform-format delivery with the master key and the KEK in hand (both cleared by the caller).</summary>
    public static ReadOnlyCollection<DeliveredKey> DeliverGp(
        SecureChannelScheme scheme, DiversificationMethod method, byte[] masterKey, KekAlgorithm kekAlgorithm, byte[] kekKey, byte[] kdd)
    {
        var aesKek = Kek.IsAes(kekAlgorithm);
        using var derived = KeyDiversification.DeriveAll(method, masterKey, kdd);
        var delivered = new DeliveredKey[CardKeys.Count];
        for (var i = 0; i < delivered.Length; i++)
        {
            var id = CardKeys[i];
            var key = KeyOf(derived, id);
            var cryptogram = aesKek ? GpKeyEncryption.EncryptAes(kekKey, key) : GpKeyEncryption.EncryptTdes(kekKey, key);
            delivered[i] = new DeliveredKey(id, AlgorithmName(scheme), key.Length, null, Hex.Encode(cryptogram), Hex.Encode(scheme.CheckValue(key)));
        }

        return Array.AsReadOnly(delivered);
    }

    /// <summary>
    /// The TR-31 header policy, in one place: the header of the key block carrying card key <paramref name="key"/> of a
    /// <paramref name="scheme"/> key set with key version number <paramref name="kvn"/>, in a block of
    /// <paramref name="version"/> (<c>B</c> under a TDES KEK, <c>D</c> under an AES KEK), with
    /// <paramref name="optionalBlocks"/> (KC, KP, TS).
    /// </summary>
    public static Tr31Header Tr31HeaderOf(StaticKeyId key, SecureChannelScheme scheme, int kvn, char version, IReadOnlyList<Tr31OptionalBlock> optionalBlocks)
    {
        var aesKeys = scheme == SecureChannelScheme.Scp03;
        return new Tr31Header
        {
            Version = version,
            KeyUsage = key switch
            {
                StaticKeyId.Enc => "D0",
                StaticKeyId.Mac => aesKeys ? "M6" : "M3",
                StaticKeyId.Dek => "K0",
                _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown static key."),
            },
            Algorithm = aesKeys ? 'A' : 'T',
            ModeOfUse = key == StaticKeyId.Mac ? 'C' : 'B',
            KeyVersionNumber = kvn.ToString("X2", CultureInfo.InvariantCulture),
            Exportability = 'E',
            OptionalBlocks = optionalBlocks,
        };
    }

    private static byte[] KeyOf(CardStaticKeys keys, StaticKeyId id) => id switch
    {
        StaticKeyId.Enc => keys.Enc,
        StaticKeyId.Mac => keys.Mac,
        _ => keys.Dek,
    };

    private static string AlgorithmName(SecureChannelScheme scheme) => scheme == SecureChannelScheme.Scp03 ? "AES" : "TDES";
}
