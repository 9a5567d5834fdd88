using System.Globalization;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// A key ceremony under dual control and split knowledge. The partial XOR between steps is kept
/// only as an LMK envelope bound to the ceremony's id, its key attributes and the number of components folded in;
/// nothing else about a component is stored (who entered which number: <see cref="CeremonyComponent"/>).
/// </summary>
public sealed class Ceremony
{
    private Ceremony()
    {
    }

    public Guid Id { get; private set; }

    public CeremonyKind Kind { get; private set; }

    public CeremonyState State { get; private set; }

    /// <summary>Human label, e.g. the KEK's TSM and index or the key set's IIN/KVN.</summary>
    public string Label { get; private set; } = string.Empty;

    /// <summary>
    /// The key the ceremony builds, the same for every ceremony of that key (e.g. <c>issuer-key:A0000001/1</c>): one
    /// person holds at most one component of it, across ceremonies.
    /// </summary>
    public string KeyReference { get; private set; } = string.Empty;

    /// <summary>Issuer identification number (uppercase hex) of an issuer master key ceremony.</summary>
    public string? Iin { get; private set; }

    /// <summary>Key version number of an issuer master key ceremony.</summary>
    public int? Kvn { get; private set; }

    public SecureChannelScheme? Scheme { get; private set; }

    /// <summary>The TSM of a KEK ceremony.</summary>
    public Guid? TsmId { get; private set; }

    /// <summary>The index of the KEK a KEK ceremony makes (1..255).</summary>
    public int? KekIndex { get; private set; }

    /// <summary>The version of that KEK: 1, or one more than the index's latest when the ceremony rotates it.</summary>
    public int? KekVersion { get; private set; }

    public KekAlgorithm? KekAlgorithm { get; private set; }

    public KekFormat? KekFormat { get; private set; }

    /// <summary>The key set or KEK the ceremony made, once completed.</summary>
    public Guid? ResultId { get; private set; }

    public DiversificationMethod? Method { get; private set; }

    /// <summary>An issuer key's known-answer sample: a KDD (hex) ...</summary>
    public string? SampleKdd { get; private set; }

    /// <summary>... and the ENC key check value the issuer documents for it; checked when the key set is activated.</summary>
    public string? SampleEncKcv { get; private set; }

    /// <summary>Key length in bytes; every component has it.</summary>
    public int KeyLength { get; private set; }

    public int ComponentsExpected { get; private set; }

    public int ComponentsReceived { get; private set; }

    /// <summary>The custodians named at opening (actor ids, <c>;</c>-separated), or null when any Key custodian may enter.</summary>
    public string? Custodians { get; private set; }

    public KeyEnvelope? PartialEnvelope { get; private set; }

    /// <summary>The check value of the combined key, once every component is in (uppercase hex).</summary>
    public string? FinalCheckValue { get; private set; }

    public string OpenedBy { get; private set; } = string.Empty;

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Who completed, aborted or expired the ceremony, and when.</summary>
    public string? ClosedBy { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Incremented by every step; a concurrency token, so two writers of one step cannot both succeed.</summary>
    public int Version { get; private set; }

    /// <summary>True for the ceremonies that make a KEK.</summary>
    public bool IsKek => Kind is CeremonyKind.ImportKek or CeremonyKind.GenerateKek;

    /// <summary>Whether components can still be entered or the key confirmed.</summary>
    public bool IsInProgress => State is CeremonyState.Open or CeremonyState.CollectingComponents or CeremonyState.AwaitingConfirmation;

    /// <summary>
    /// The partial envelope's associated data: the ceremony, its key attributes and the number of components folded in,
    /// so a partial cannot be moved to another ceremony or key, nor rolled back to an earlier step.
    /// </summary>
    internal EnvelopeContext PartialContext(int componentsFolded) => new(Id, KeyKind.CeremonyPartial, Algorithm, componentsFolded, string.Create(
        CultureInfo.InvariantCulture,
        $"ceremony={Id:D};kind={(int)Kind};key={KeyReference};scheme={(int?)Scheme};method={(int?)Method};length={KeyLength};expected={ComponentsExpected};folded={componentsFolded}")
        + (IsKek ? string.Create(CultureInfo.InvariantCulture, $";tsm={TsmId:D};index={KekIndex};version={KekVersion};algorithm={(int?)KekAlgorithm};format={(int?)KekFormat}") : string.Empty));

    private string Algorithm => IsKek
        ? KekAlgorithm!.Value.ToString().ToUpperInvariant()
        : Scheme == SecureChannelScheme.Scp02 ? "TDES2" : $"AES{KeyLength * 8}";

    /// <summary>The check value of a component or of the key: DES or AES GlobalPlatform, by the key's algorithm.</summary>
    internal byte[] CheckValue(ReadOnlySpan<byte> key) =>
        IsKek ? KekService.CheckValue(KekAlgorithm!.Value, key) : Scheme!.Value.CheckValue(key);

    /// <summary>The named custodians' actor ids (empty: any Key custodian).</summary>
    public IReadOnlyList<string> NamedCustodians => Custodians is null ? [] : Custodians.Split(';');

    internal static Ceremony OpenIssuerMasterKeyImport(
        Guid id, IssuerKeyService.Normalized key, int components, IReadOnlyList<Actor> custodians, Actor openedBy, DateTimeOffset now, TimeSpan lifetime) => new()
        {
            Id = id,
            Kind = CeremonyKind.ImportIssuerMasterKey,
            State = CeremonyState.Open,
            Label = $"issuer key {key.Iin}/{key.Kvn}",
            KeyReference = IssuerKeyReference(key.Iin, key.Kvn),
            Iin = key.Iin,
            Kvn = key.Kvn,
            Scheme = key.Scheme,
            Method = key.Method,
            KeyLength = key.KeyLength,
            SampleKdd = key.SampleKdd,
            SampleEncKcv = key.SampleEncKcv,
            ComponentsExpected = components,
            Custodians = custodians.Count == 0 ? null : string.Join(';', custodians.Select(c => c.Id)),
            OpenedBy = openedBy.Id,
            OpenedAt = now,
            ExpiresAt = now + lifetime,
        };

    internal static Ceremony OpenKek(
        Guid id, KekCeremonyRequest request, Guid tsmId, string tsmName, int version, IReadOnlyList<Actor> custodians, Actor openedBy, DateTimeOffset now, TimeSpan lifetime) => new()
        {
            Id = id,
            Kind = request.Kind,
            State = CeremonyState.Open,
            Label = $"KEK {Kek.Describe(tsmName, request.Index, version)}",
            KeyReference = KekReference(tsmId, request.Index, version),
            TsmId = tsmId,
            KekIndex = request.Index,
            KekVersion = version,
            KekAlgorithm = request.Algorithm,
            KekFormat = request.Format,
            KeyLength = Kek.LengthOf(request.Algorithm),
            ComponentsExpected = request.Components,
            Custodians = custodians.Count == 0 ? null : string.Join(';', custodians.Select(c => c.Id)),
            OpenedBy = openedBy.Id,
            OpenedAt = now,
            ExpiresAt = now + lifetime,
        };

    /// <summary>The <see cref="KeyReference"/> of one version of a TSM's KEK.</summary>
    internal static string KekReference(Guid tsmId, int index, int version) => string.Create(CultureInfo.InvariantCulture, $"kek:{tsmId:D}/{index}/v{version}");

    /// <summary>A generated KEK's ceremony starts with the sealed key and its check value, before any component is handed out.</summary>
    internal void StartGenerated(KeyEnvelope partial, string finalCheckValue)
    {
        if (Kind != CeremonyKind.GenerateKek || ComponentsReceived != 0)
        {
            throw new RuleViolationException($"ceremony {Id:D} does not generate its key");
        }

        PartialEnvelope = partial;
        FinalCheckValue = finalCheckValue;
    }

    /// <summary>The <see cref="KeyReference"/> of an issuer key set.</summary>
    internal static string IssuerKeyReference(string iin, int kvn) => string.Create(CultureInfo.InvariantCulture, $"issuer-key:{iin}/{kvn}");

    /// <summary>Folds a component in: the new partial replaces the old; the last one leaves the final check value.</summary>
    internal void AcceptComponent(KeyEnvelope partial, string? finalCheckValue)
    {
        RequireCollecting();
        PartialEnvelope = partial;
        ComponentsReceived++;
        if (ComponentsReceived == ComponentsExpected)
        {
            State = CeremonyState.AwaitingConfirmation;
            FinalCheckValue = finalCheckValue ?? throw new ArgumentNullException(nameof(finalCheckValue));
        }
        else
        {
            State = CeremonyState.CollectingComponents;
        }

        Version++;
    }

    /// <summary>The key was created from the partial; the partial is destroyed.</summary>
    internal void Complete(Guid resultId, Actor actor, DateTimeOffset now)
    {
        if (State != CeremonyState.AwaitingConfirmation)
        {
            throw new RuleViolationException($"ceremony {Id:D} is {State}; only a ceremony awaiting confirmation can be completed");
        }

        ResultId = resultId;
        Close(CeremonyState.Completed, actor, now);
    }

    /// <summary>Stops the ceremony; the partial is destroyed.</summary>
    internal void Abort(Actor actor, DateTimeOffset now)
    {
        if (!IsInProgress)
        {
            throw new RuleViolationException($"ceremony {Id:D} is {State}; it can no longer be aborted");
        }

        Close(CeremonyState.Aborted, actor, now);
    }

    /// <summary>Times the ceremony out; the partial is destroyed.</summary>
    internal void Expire(Actor actor, DateTimeOffset now)
    {
        if (!IsInProgress || now < ExpiresAt)
        {
            throw new RuleViolationException($"ceremony {Id:D} is {State} until {ExpiresAt:O}; it cannot expire now");
        }

        Close(CeremonyState.Expired, actor, now);
    }

    internal void RequireCollecting()
    {
        if (State is not (CeremonyState.Open or CeremonyState.CollectingComponents))
        {
            throw new RuleViolationException($"ceremony {Id:D} is {State}; it takes no more components");
        }
    }

    private void Close(CeremonyState state, Actor actor, DateTimeOffset now)
    {
        State = state;
        PartialEnvelope = null;
        ClosedBy = actor.Id;
        ClosedAt = now;
        Version++;
    }
}
