namespace Ttp.Domain.Alerts;

/// <summary>The scanner's watermark (one row): the last audit sequence it has read, so that each scan reads only newer records.</summary>
public sealed class AlertScanState
{
    /// <summary>The id of the only row.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Every record up to this sequence has been scanned.</summary>
    public long LastSequence { get; set; }
}
