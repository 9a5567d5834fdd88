namespace Ttp.Domain.Data;

/// <summary>
/// One row whose <see cref="Version"/> the database itself increments (triggers, created by the migrations) on every
/// insert, update or delete of the tables a key request reads: TSMs, their certificates and issuer scope, KEKs and
/// issuer key sets. Whoever writes them (the portal, ttpctl, an LMK rotation, an operator at the SQL prompt), the
/// number changes in the same transaction, so a reader that cached those tables can tell with one tiny query whether
/// its copy is still current (see <see cref="KeyRequests.KeyRequestDirectory"/>).
/// </summary>
public sealed class DirectoryVersion
{
    /// <summary>The id of the single row.</summary>
    public const int SingletonId = 1;

    /// <summary>The table's name.</summary>
    public const string Table = "directory_version";

    /// <summary>The tables whose changes increment the version.</summary>
    public static readonly IReadOnlyList<string> WatchedTables = ["tsms", "tsm_certificates", "tsm_issuer_scope", "keks", "issuer_key_sets"];

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; private set; } = SingletonId;

    /// <summary>Incremented by the database on every change of a watched table.</summary>
    public long Version { get; private set; }
}
