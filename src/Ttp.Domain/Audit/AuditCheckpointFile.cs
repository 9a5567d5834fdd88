using System.Runtime.CompilerServices;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// The anchors file: <c>checkpoints.jsonl</c> in the anchors directory (<see cref="AuditOptions.AnchorsDirectory"/>),
/// outside the database, one <see cref="AuditCheckpointJson"/> line per checkpoint (LF), append-only. The directory is
/// created 0700 and the files 0600. Appends from several processes on one host (the portal, <c>ttpctl</c>) take an
/// exclusive lock on <c>checkpoints.lock</c> beside it, so that the checkpoints form one linked sequence; each append is
/// flushed to disk (fsync) before it returns. A last line without its line end (a crash while writing) is ignored when
/// read and removed by the next append.
/// </summary>
public sealed class AuditCheckpointFile(string directory)
{
    /// <summary>The anchors file's name.</summary>
    public const string FileName = "checkpoints.jsonl";

    private const string LockFileName = "checkpoints.lock";
    private const int TailChunk = 4096;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The anchors directory (absolute).</summary>
    public string Directory { get; } = System.IO.Path.GetFullPath(directory);

    /// <summary>The anchors file.</summary>
    public string Path => System.IO.Path.Combine(Directory, FileName);

    /// <summary>
    /// The last complete checkpoint of the file, or null when it has none.
    /// </summary>
    /// <exception cref="IntegrityException">The last line is not a checkpoint.</exception>
    public AuditCheckpoint? ReadLatest()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        using var stream = OpenRead();
        return ParseLatest(stream, stream.Length);
    }

    /// <summary>Every complete line of the file with its number (from 1), in order, as of the file's length when opened.</summary>
    public async IAsyncEnumerable<(int Number, string Text)> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path))
        {
            yield break;
        }

        await using var stream = OpenRead();
        var remaining = stream.Length;
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>(1024);
        var number = 0;
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            remaining -= read;
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                pending.AddRange(buffer.AsSpan(start, i - start));
                yield return (++number, Encoding.UTF8.GetString(pending.ToArray()));
                pending.Clear();
                start = i + 1;
            }

            pending.AddRange(buffer.AsSpan(start, read - start));
        }
    }

    /// <summary>
    /// Under the file's lock: removes a torn last line, reads the latest checkpoint, asks <paramref name="next"/> for the
    /// one to append after it (null: none), appends it and flushes it to disk. Only the first checkpoint
    /// (<paramref name="create"/>) creates the directory and the file; later ones fail when they are gone.
    /// </summary>
    /// <returns>The checkpoint appended, or null.</returns>
    internal async Task<AuditCheckpoint?> AppendAsync(Func<AuditCheckpoint?, AuditCheckpoint?> next, bool create, CancellationToken cancellationToken)
    {
        if (create)
        {
            EnsureDirectory();
        }

        await using var held = await LockAsync(cancellationToken);
        await using var stream = new FileStream(Path, OwnerOnly(create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite));
        var length = EndOfLastLineWithin(stream, stream.Length);
        if (length != stream.Length)
        {
            stream.SetLength(length);
        }

        var checkpoint = next(ParseLatest(stream, length));
        if (checkpoint is null)
        {
            return null;
        }

        stream.Seek(length, SeekOrigin.Begin);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(AuditCheckpointJson.ToLine(checkpoint) + "\n"), cancellationToken);
        stream.Flush(flushToDisk: true);
        return checkpoint;
    }

    private static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open)
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private FileStream OpenRead() =>
        new(Path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete });

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var options = OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite);
        options.Share = FileShare.None;
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(System.IO.Path.Combine(Directory, LockFileName), options);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException && DateTime.UtcNow < deadline)
            {
                // Another process appends a checkpoint: a few milliseconds.
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    private AuditCheckpoint? ParseLatest(FileStream stream, long length)
    {
        var end = EndOfLastLineWithin(stream, length);
        if (end == 0)
        {
            return null;
        }

        // The line before the last line end.
        var lineEnd = end - 1;
        var start = EndOfLastLineWithin(stream, lineEnd);
        var bytes = new byte[lineEnd - start];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        try
        {
            return AuditCheckpointJson.ParseLine(Encoding.UTF8.GetString(bytes));
        }
        catch (FormatException e)
        {
            throw new IntegrityException($"The latest line of the anchors file {Path} is not a checkpoint ({e.Message})");
        }
    }

    // The length up to and including the last line end within the first length bytes (0 when there is none).
    private static long EndOfLastLineWithin(FileStream stream, long length)
    {
        var position = length;
        var buffer = new byte[TailChunk];
        while (position > 0)
        {
            var count = (int)Math.Min(TailChunk, position);
            stream.Seek(position - count, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, count);
            var index = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return position - count + index + 1;
            }

            position -= count;
        }

        return 0;
    }
}
