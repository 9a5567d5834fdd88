using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// A key ceremony under dual control and split knowledge. The partial XOR between steps is kept only as an LMK
/// envelope. (The state machine's steps arrive with the ceremony pages; this is its persisted shape.)
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

    public int ComponentsExpected { get; private set; }

    public int ComponentsReceived { get; private set; }

    public KeyEnvelope? PartialEnvelope { get; private set; }

    public string OpenedBy { get; private set; } = string.Empty;

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}
