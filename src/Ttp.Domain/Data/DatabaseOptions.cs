using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain.Data;

/// <summary>Section <c>Ttp:Database</c> (the connection string is <c>ConnectionStrings:Ttp</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Ttp:Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
