namespace Ttp.Domain.Data;

/// <summary><c>Ttp:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>SQLite file under the data directory: the embedded default.</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL: production.</summary>
    Postgres = 1,
}
