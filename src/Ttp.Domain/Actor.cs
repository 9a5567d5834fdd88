namespace Ttp.Domain;

/// <summary>
/// Who performs an action, as recorded in the audit chain: <c>user:&lt;email&gt;</c> for staff in the portal,
/// <c>cli:&lt;os user&gt;</c> for <c>ttpctl</c>, <c>tsm:&lt;name&gt;</c> for a TSM system, <c>system</c> for the server itself.
/// Separation-of-duty rules compare actors by <see cref="Id"/>.
/// </summary>
public sealed record Actor
{
    private Actor(string id) => Id = id;

    /// <summary>The actor as written in records, e.g. <c>user:alice@ttp.example</c>.</summary>
    public string Id { get; }

    /// <summary>The server itself (start-up, scheduled work).</summary>
    public static Actor System { get; } = new("system");

    /// <summary>A staff member signed in to the portal.</summary>
    public static Actor Staff(string email) => new("user:" + Require(email, nameof(email)).ToLowerInvariant());

    /// <summary>An operator at the command line, named by the operating-system user.</summary>
    public static Actor Cli(string osUser) => new("cli:" + Require(osUser, nameof(osUser)));

    /// <summary>A TSM system authenticated by its client certificate.</summary>
    public static Actor Tsm(string name) => new("tsm:" + Require(name, nameof(name)));

    /// <summary>Restores an actor from its recorded form.</summary>
    public static Actor FromId(string id) => new(Require(id, nameof(id)));

    /// <inheritdoc />
    public override string ToString() => Id;

    private static string Require(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("An actor needs a name.", name) : value.Trim();
}
