namespace Ttp.Domain.Audit;

/// <summary>The rollup's single state row: the last audit sequence it has counted (its watermark).</summary>
public sealed class KeyRequestRollupState
{
    /// <summary>The id of the single row.</summary>
    public const int SingletonId = 1;

    /// <summary>The table's name.</summary>
    public const string Table = "key_request_rollup_state";

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; set; } = SingletonId;

    /// <summary>Every key-request record up to this sequence is counted in the rollup, none after it.</summary>
    public long Watermark { get; set; }
}
