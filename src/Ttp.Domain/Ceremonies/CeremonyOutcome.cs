using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

namespace Ttp.Domain.Ceremonies;

/// <summary>A confirmed ceremony and what it made, pending activation: a key set or a KEK.</summary>
public sealed record CeremonyOutcome(Ceremony Ceremony, IssuerKeySet? KeySet, Kek? Kek);
