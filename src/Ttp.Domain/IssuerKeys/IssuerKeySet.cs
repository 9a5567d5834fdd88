using System.Globalization;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.IssuerKeys;

/// <summary>
/// An issuer's master key set: one master key (ENC/MAC/DEK derived with key ids 1/2/3) for one issuer (IIN, tag 42)
/// and key version number, stored only as an envelope. Its attributes, known-answer sample and state carry a MAC under
/// the access-record key (<see cref="IAuthenticatedRecord"/>): a key set activated, reinstated or un-retired in SQL fails it.
/// </summary>
public sealed class IssuerKeySet : IAuthenticatedRecord
{
    private IssuerKeySet()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Issuer identification number, uppercase hex.</summary>
    public string Iin { get; private set; } = string.Empty;

    /// <summary>Key version number (0-255; 255 = GlobalPlatform initial key set).</summary>
    public int Kvn { get; private set; }

    public SecureChannelScheme Scheme { get; private set; }

    public DiversificationMethod Method { get; private set; }

    /// <summary>Master key length in bytes.</summary>
    public int KeyLength { get; private set; }

    /// <summary>The master key's check value (DES or AES GlobalPlatform, 3 bytes, uppercase hex).</summary>
    public string KeyCheckValue { get; private set; } = string.Empty;

    public IssuerKeySetState State { get; private set; }

    /// <summary>Known-answer sample: a KDD (hex) ...</summary>
    public string? SampleKdd { get; private set; }

    /// <summary>... and the ENC key check value the issuer documents for it.</summary>
    public string? SampleEncKcv { get; private set; }

    public KeyEnvelope Envelope { get; private set; } = new();

    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public string? ActivatedBy { get; private set; }

    public DateTimeOffset? ActivatedAt { get; private set; }

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    /// <summary>The effective strength in bits of the key set's card keys (<see cref="SecureChannelSchemes.StrengthOf"/>).</summary>
    public int Strength => Scheme.StrengthOf(KeyLength);

    /// <summary>Algorithm name used in the envelope's associated data.</summary>
    public string Algorithm => Scheme == SecureChannelScheme.Scp02 ? "TDES2" : $"AES{KeyLength * 8}";

    /// <summary>
    /// The envelope's associated data, with everything that decides what a card key becomes (IIN, KVN, scheme,
    /// diversification method, key length): a changed attribute leaves the master key sealed.
    /// </summary>
    public EnvelopeContext EnvelopeContext => new(Id, KeyKind.IssuerMasterKey, Algorithm, Kvn, string.Create(
        CultureInfo.InvariantCulture, $"iin={Iin};kvn={Kvn};scheme={(int)Scheme};method={(int)Method};length={KeyLength}"));

    internal static IssuerKeySet Create(
        Guid id,
        string iin,
        int kvn,
        SecureChannelScheme scheme,
        DiversificationMethod method,
        int keyLength,
        string keyCheckValue,
        string? sampleKdd,
        string? sampleEncKcv,
        Actor actor,
        DateTimeOffset now) => new()
        {
            Id = id,
            Iin = iin,
            Kvn = kvn,
            Scheme = scheme,
            Method = method,
            KeyLength = keyLength,
            KeyCheckValue = keyCheckValue,
            SampleKdd = sampleKdd,
            SampleEncKcv = sampleEncKcv,
            State = IssuerKeySetState.PendingActivation,
            CreatedBy = actor.Id,
            CreatedAt = now,
        };

    internal void Seal(KeyEnvelope envelope) => Envelope = envelope;

    /// <summary>Makes the key set usable; the caller has checked the known-answer sample.</summary>
    internal void Activate(Actor actor, DateTimeOffset now)
    {
        if (State is not (IssuerKeySetState.PendingActivation or IssuerKeySetState.Suspended))
        {
            throw new RuleViolationException($"key set {Iin}/{Kvn} is {State}; only a pending or suspended key set can be activated");
        }

        State = IssuerKeySetState.Active;
        ActivatedBy = actor.Id;
        ActivatedAt = now;
    }

    /// <summary>Stops using the key set for now.</summary>
    public void Suspend()
    {
        if (State != IssuerKeySetState.Active)
        {
            throw new RuleViolationException($"key set {Iin}/{Kvn} is {State}; only an active key set can be suspended");
        }

        State = IssuerKeySetState.Suspended;
    }

    /// <summary>Uses a suspended key set again (its known-answer sample was checked at activation).</summary>
    public void Reinstate()
    {
        if (State != IssuerKeySetState.Suspended)
        {
            throw new RuleViolationException($"key set {Iin}/{Kvn} is {State}; only a suspended key set can be reinstated");
        }

        State = IssuerKeySetState.Active;
    }

    /// <summary>Withdraws the key set for good.</summary>
    public void Retire()
    {
        if (State == IssuerKeySetState.Retired)
        {
            throw new RuleViolationException($"key set {Iin}/{Kvn} is already retired");
        }

        State = IssuerKeySetState.Retired;
    }

    // Not the envelope: an LMK rotation re-wraps it without changing what the key set is or may do.
    string IAuthenticatedRecord.CanonicalForm() => string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-keyset-v1|{Id:D}|{Iin}|{Kvn}|{(int)Scheme}|{(int)Method}|{KeyLength}|{KeyCheckValue.ToUpperInvariant()}|{SampleKdd}|{SampleEncKcv}|{(int)State}");

    Guid IAuthenticatedRecord.OwningTsmId => Guid.Empty;

    string IAuthenticatedRecord.Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"issuer key set IIN {Iin} KVN {Kvn} ({Id:D})");

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;
}
