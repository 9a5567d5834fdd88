namespace Ttp.Domain.Audit;

/// <summary>
/// A batch of audit records as the verifier reads them: each record's numbers, and its text fields, hash and MAC as the
/// stored bytes, copied into one buffer that is kept from batch to batch. Reading a trail this way allocates nothing per
/// record: with an object and five strings per record, the collector paused verification about a fifth of the time
/// (docs/PERFORMANCE.md, "Chain verification"). Filled by one thread, then read by another; not thread-safe.
/// </summary>
internal sealed class AuditRowBatch
{
    /// <summary>The byte fields of a record, in the order of the canonical form, then the hash and the MAC.</summary>
    public const int Action = 0, Actor = 1, Subject = 2, Outcome = 3, Details = 4, Hash = 5, Mac = 6, FieldCount = 7;

    private readonly long[] _sequences;
    private readonly long[] _occurredAt;
    private readonly int[] _streams;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private byte[] _bytes;
    private int _used;

    public AuditRowBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _sequences = new long[capacity];
        _occurredAt = new long[capacity];
        _streams = new int[capacity];
        _starts = new int[capacity * FieldCount];
        _lengths = new int[capacity * FieldCount];
        _bytes = new byte[capacity * 1024];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Record <paramref name="index"/> (valid until the batch is cleared).</summary>
    public AuditRowView this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return new AuditRowView(this, index);
        }
    }

    /// <summary>Empties the batch for the next records; the buffers are kept.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>Starts a record: its fields follow with <see cref="Put"/>, <see cref="Reserve"/> or <see cref="PutNull"/>.</summary>
    public void Add(long sequence, long occurredAtMicroseconds, int stream)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The batch is full.");
        }

        _sequences[Count] = sequence;
        _occurredAt[Count] = occurredAtMicroseconds;
        _streams[Count] = stream;
        var first = Count * FieldCount;
        Array.Fill(_lengths, -1, first, FieldCount);
        Count++;
    }

    /// <summary>Copies <paramref name="value"/> as <paramref name="field"/> of the last record added.</summary>
    public void Put(int field, ReadOnlySpan<byte> value)
    {
        var (buffer, offset) = Reserve(field, value.Length);
        value.CopyTo(buffer.AsSpan(offset));
    }

    /// <summary>
    /// Room for <paramref name="length"/> bytes of <paramref name="field"/> of the last record added: the caller copies them
    /// to <c>Buffer[Offset..]</c> before the next call.
    /// </summary>
    public (byte[] Buffer, int Offset) Reserve(int field, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var slot = Slot(field);
        if (_bytes.Length - _used < length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + length));
        }

        var offset = _used;
        _starts[slot] = offset;
        _lengths[slot] = length;
        _used += length;
        return (_bytes, offset);
    }

    /// <summary>Marks <paramref name="field"/> of the last record added as NULL in the database (the default).</summary>
    public void PutNull(int field) => _lengths[Slot(field)] = -1;

    internal long SequenceAt(int index) => _sequences[index];

    internal long OccurredAtAt(int index) => _occurredAt[index];

    internal int StreamAt(int index) => _streams[index];

    internal bool IsNull(int index, int field) => _lengths[(index * FieldCount) + field] < 0;

    internal ReadOnlySpan<byte> FieldAt(int index, int field)
    {
        var slot = (index * FieldCount) + field;
        var length = _lengths[slot];
        return length < 0 ? default : _bytes.AsSpan(_starts[slot], length);
    }

    private int Slot(int field)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)field, (uint)FieldCount, nameof(field));
        if (Count == 0)
        {
            throw new InvalidOperationException("Add a record before its fields.");
        }

        return ((Count - 1) * FieldCount) + field;
    }
}
