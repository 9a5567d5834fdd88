using System.Text;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditRowBatchTests
{
    [Fact]
    public void Put_PastTheBuffer_GrowsAndKeepsEveryEarlierRecord()
    {
        // The buffer starts at 1 KiB per record; details of 3,000 bytes each make it grow several times.
        var batch = new AuditRowBatch(4);
        for (var i = 0; i < 4; i++)
        {
            AddRecord(batch, i, new string((char)('a' + i), 3000));
        }

        Assert.True(batch.IsFull);
        var read = Enumerable.Range(0, 4).Select(i => Describe(batch[i])).ToArray();
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"{100 + i} {1_000_000 + i} {i % 2} act{i} actor{i} sub{i} out{i} {(char)('a' + i)}x3000 hash{i} mac{i}"), read);
    }

    [Fact]
    public void Clear_ThenRefilled_ReadsOnlyTheNewRecords()
    {
        var batch = new AuditRowBatch(2);
        AddRecord(batch, 0, "first");
        AddRecord(batch, 1, "second");

        batch.Clear();
        AddRecord(batch, 7, "third");

        Assert.Equal(1, batch.Count);
        Assert.False(batch.IsFull);
        Assert.Equal("107 1000007 1 act7 actor7 sub7 out7 third hash7 mac7", Describe(batch[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch[1].Sequence);
    }

    [Fact]
    public void Add_FieldsNotPut_AreNullAndTheRecordIncomplete()
    {
        var batch = new AuditRowBatch(2);
        batch.Add(1, 2, 0);
        batch.Put(AuditRowBatch.Hash, [1, 2, 3]);
        batch.Add(2, 3, 0);
        foreach (var field in new[] { AuditRowBatch.Action, AuditRowBatch.Actor, AuditRowBatch.Subject, AuditRowBatch.Outcome, AuditRowBatch.Details, AuditRowBatch.Hash })
        {
            batch.Put(field, []);
        }

        Assert.Equal((false, false), (batch[0].IsComplete, batch[0].HasMac));
        Assert.Equal((true, false, 0), (batch[1].IsComplete, batch[1].HasMac, batch[1].Hash.Length));
        Assert.Throws<InvalidOperationException>(() => batch.Add(3, 4, 0));
    }

    private static void AddRecord(AuditRowBatch batch, int i, string details)
    {
        batch.Add(100 + i, 1_000_000 + i, i % 2);
        batch.Put(AuditRowBatch.Action, Encoding.UTF8.GetBytes($"act{i}"));
        batch.Put(AuditRowBatch.Actor, Encoding.UTF8.GetBytes($"actor{i}"));
        batch.Put(AuditRowBatch.Subject, Encoding.UTF8.GetBytes($"sub{i}"));
        batch.Put(AuditRowBatch.Outcome, Encoding.UTF8.GetBytes($"out{i}"));
        var (buffer, offset) = batch.Reserve(AuditRowBatch.Details, Encoding.UTF8.GetByteCount(details));
        Encoding.UTF8.GetBytes(details, buffer.AsSpan(offset));
        batch.Put(AuditRowBatch.Hash, Encoding.UTF8.GetBytes($"hash{i}"));
        batch.Put(AuditRowBatch.Mac, Encoding.UTF8.GetBytes($"mac{i}"));
    }

    private static string Describe(AuditRowView row)
    {
        var details = Encoding.UTF8.GetString(row.Details);
        var summary = details.Distinct().Count() == 1 ? $"{details[0]}x{details.Length}" : details;
        return $"{row.Sequence} {row.OccurredAtMicroseconds} {row.Stream} {Encoding.UTF8.GetString(row.Action)} {Encoding.UTF8.GetString(row.Actor)} " +
            $"{Encoding.UTF8.GetString(row.Subject)} {Encoding.UTF8.GetString(row.Outcome)} {summary} {Encoding.UTF8.GetString(row.Hash)} {Encoding.UTF8.GetString(row.Mac)}";
    }
}
