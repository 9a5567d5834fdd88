using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// A key the previous release stored: its row, what this release binds into its format-2 envelope (the record's
/// algorithm, version and <see cref="Attributes"/>: docs/ARCHITECTURE.md, "Keys at rest", names them; IssuerKeySet and
/// Kek spell them), and its check value computed with the BCL when it was written.
/// </summary>
internal sealed record LegacyKey(string Table, Guid Id, KeyKind Kind, string Algorithm, int Version, string Attributes, byte[] CheckValue)
{
    /// <summary>The associated data of the previous release's envelope.</summary>
    public string Format1AssociatedData => LegacyEnvelope.Format1AssociatedData(Id, Kind, Algorithm, Version);

    /// <summary>The associated data of this release's envelope, with the attributes.</summary>
    public string Format2AssociatedData => LegacyEnvelope.Format2AssociatedData(Id, Kind, Algorithm, Version, Attributes);
}
