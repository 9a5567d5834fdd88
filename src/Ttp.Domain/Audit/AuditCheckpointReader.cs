namespace Ttp.Domain.Audit;

/// <summary>
/// Reads the anchors file one checkpoint at a time, in order, each checked by <see cref="AuditCheckpointChain"/>
/// (streaming: memory does not grow with the file).
/// </summary>
internal sealed class AuditCheckpointReader(AuditCheckpointFile file, AuditPublicKey key, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly IAsyncEnumerator<(int Number, string Text)> _lines = file.ReadLinesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    private readonly AuditCheckpointChain _chain = new(key, linkedFromStart: true);

    /// <summary>The last checkpoint read and accepted.</summary>
    public AuditCheckpoint? Latest => _chain.Last;

    /// <summary>How many were read and accepted.</summary>
    public int Count => _chain.Count;

    /// <summary>The next checkpoint; (null, null) at the end; (null, problem) for one that is unreadable or breaks the rules.</summary>
    public async Task<(AuditCheckpoint? Checkpoint, string? Problem)> NextAsync()
    {
        if (!await _lines.MoveNextAsync())
        {
            return (null, null);
        }

        var (number, text) = _lines.Current;
        AuditCheckpoint checkpoint;
        try
        {
            checkpoint = AuditCheckpointJson.ParseLine(text);
        }
        catch (FormatException e)
        {
            return (null, $"line {number} of the anchors file {file.Path} is not a checkpoint ({e.Message})");
        }

        var problem = _chain.Accept(checkpoint);
        return problem is null ? (checkpoint, null) : (null, $"{problem} (line {number} of the anchors file {file.Path})");
    }

    public ValueTask DisposeAsync() => _lines.DisposeAsync();
}
