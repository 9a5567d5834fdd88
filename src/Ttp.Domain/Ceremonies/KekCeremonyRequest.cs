using Ttp.Domain.Keks;

namespace Ttp.Domain.Ceremonies;

/// <summary>What a KEK ceremony makes: which TSM's KEK, at which index, of which algorithm and delivery format, in how many components.</summary>
/// <param name="Kind"><see cref="CeremonyKind.ImportKek"/> (custodians enter the TSM's components) or <see cref="CeremonyKind.GenerateKek"/> (each receives one).</param>
/// <param name="TsmName">The TSM.</param>
/// <param name="Index">The KEK index the TSM names in its requests (1..255); an index with a KEK already is rotated to a later version.</param>
/// <param name="Algorithm">The KEK's algorithm.</param>
/// <param name="Format">How keys are wrapped under it.</param>
/// <param name="Components">2 to 9.</param>
public sealed record KekCeremonyRequest(CeremonyKind Kind, string TsmName, int Index, KekAlgorithm Algorithm, KekFormat Format, int Components);
