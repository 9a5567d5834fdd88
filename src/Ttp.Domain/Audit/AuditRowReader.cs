using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Reads every audit record in sequence order for the verifier, on the context's connection and transaction, ahead on
/// another thread: the reading thread fills batches (<see cref="AuditRowBatch"/>) from the database while the caller
/// checks the previous ones, so that reading (the driver's work) and hashing use two cores. A few batches go round
/// between the two threads, so that memory stays the same whatever the length of the trail.
/// </summary>
internal static class AuditRowReader
{
    /// <summary>Batches filled ahead of the caller at most.</summary>
    private const int Depth = 3;

    /// <summary>
    /// The records in batches of <paramref name="batchSize"/>; each batch is valid until the loop moves to the next one.
    /// Leaving the loop early stops the reading.
    /// </summary>
    public static async IAsyncEnumerable<AuditRowBatch> ReadAheadAsync(
        TtpDbContext db, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var isSqlite = db.Database.IsSqlite();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filled = Channel.CreateBounded<AuditRowBatch>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<AuditRowBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < Depth + 2; i++)
        {
            free.Writer.TryWrite(new AuditRowBatch(batchSize));
        }

        var reading = Task.Run(() => FillAsync(() => isSqlite ? new SqliteAuditRowSource(db) : new PostgresAuditRowSource(db), free.Reader, filled.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var batch in filled.Reader.ReadAllAsync(cancellationToken))
            {
                yield return batch;
                batch.Clear();
                free.Writer.TryWrite(batch);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
    }

    private static async Task FillAsync(
        Func<IAuditRowSource> open, ChannelReader<AuditRowBatch> free, ChannelWriter<AuditRowBatch> filled, CancellationToken cancellationToken)
    {
        try
        {
            using var source = open();
            bool more;
            do
            {
                var batch = await free.ReadAsync(cancellationToken);
                more = source.Fill(batch);
                if (batch.Count > 0)
                {
                    await filled.WriteAsync(batch, cancellationToken);
                }
            }
            while (more);

            filled.Complete();
        }
        catch (Exception e)
        {
            filled.Complete(e);
        }
    }
}
