using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The <see cref="LmkProviderKind.File"/> LMK: 32 random bytes in a file of mode 0600, created on first use. Refuses a
/// file that group or others may access, naming the file and the fix (<c>chmod 600</c>). The key bytes are read into a
/// pinned buffer (the garbage collector leaves no copies) and cleared on dispose.
/// </summary>
/// <remarks>
/// Rotation files: <c>&lt;path&gt;.next</c> (the next LMK, mode 0600) while a rotation is in progress; on completion the
/// current key is first copied to <c>&lt;path&gt;.retired-&lt;id&gt;</c> (mode 0600) and then the next file is renamed over
/// <c>&lt;path&gt;</c> (one atomic rename), so that a crash at any point leaves either the old state or the new one. The
/// retired file is kept on purpose: database backups taken before the rotation open only with it; the operator deletes
/// it once no backup needs it (at once if the old LMK was compromised).
/// <para>
/// A next LMK is used only when the rotation that created it is recorded: <see cref="BeginRotation"/> first writes
/// <c>&lt;path&gt;.rotation-&lt;next id&gt;</c> (mode 0600), the next key's fingerprint (HMAC-SHA256 under the next key
/// of a fixed label) wrapped under the current LMK with AES-256-GCM, the current and next LMK ids as associated data, and
/// only then the next file. Only a holder of the current LMK can write a record that opens, and it names one next key
/// and one current LMK. A next file without such a record (planted beside the LMK, copied from elsewhere, or swapped
/// during a rotation) is refused: loading fails naming the file and what to do, the key is not kept, nothing is sealed
/// under it. Records are outside the database on purpose: a database writer can neither fake nor remove one.
/// </para>
/// </remarks>
internal sealed class FileLmkProvider : ILmkProvider
{
    private const int KeyLength = 32;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const int FingerprintLength = 32;

    private static readonly byte[] FingerprintLabel = "ttp-lmk-rotation-fingerprint-v1"u8.ToArray();

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private volatile string _currentId = string.Empty;
    private volatile string? _nextId;
    private volatile bool _disposed;
    private string? _refusedNextId;

    /// <summary>Loads the LMK from <paramref name="path"/>, creating it (and its folder, mode 0700) when missing.</summary>
    /// <exception cref="LmkUnavailableException">The file is accessible to group or others, has the wrong length, or is
    /// missing while a rotation is in progress.</exception>
    /// <exception cref="IntegrityException">A next-LMK file is there that no recorded rotation started (see the remarks).</exception>
    public FileLmkProvider(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
        lock (_gate)
        {
            Load(createIfMissing: true);
        }

        KeyStoreLog.LmkLoaded(_logger, _currentId, Description);
    }

    /// <summary>The LMK file.</summary>
    public string FilePath { get; }

    /// <summary>The next LMK's file during a rotation.</summary>
    public string NextPath => FilePath + ".next";

    /// <inheritdoc />
    public string CurrentLmkId => _currentId;

    /// <inheritdoc />
    public string? NextLmkId => _nextId;

    /// <inheritdoc />
    public bool IsSoftware => true;

    /// <inheritdoc />
    public string Description => "file " + FilePath;

    /// <summary>Where a retired LMK is kept.</summary>
    public string RetiredPath(string lmkId) => FilePath + ".retired-" + lmkId;

    /// <summary>Where the rotation towards <paramref name="nextLmkId"/> is recorded as started (see the remarks).</summary>
    public string RotationRecordPath(string nextLmkId) => FilePath + ".rotation-" + nextLmkId;

    /// <inheritdoc />
    public void Refresh()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
        }
    }

    /// <inheritdoc />
    public bool Holds(string lmkId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_keys.ContainsKey(lmkId))
        {
            return true;
        }

        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_keys.ContainsKey(lmkId))
            {
                return true;
            }

            var retired = LmkIds.IsWellFormed(lmkId) ? RetiredPath(lmkId) : null;
            if (retired is null || !File.Exists(retired))
            {
                return false;
            }

            var found = Remember(ReadKey(retired) ?? throw Missing(retired));
            if (found != lmkId)
            {
                throw new LmkUnavailableException($"The retired LMK file {retired} holds LMK {found}, not {lmkId}: restore the right file from backup");
            }

            return true;
        }
    }

    /// <inheritdoc />
    public byte[] Wrap(string lmkId, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (lmkId != _currentId && lmkId != _nextId)
        {
            throw new InvalidOperationException($"LMK {lmkId} is neither the current nor the next LMK; only those wrap.");
        }

        return LmkWrapFormat.Wrap(_keys[lmkId], dataKey, associatedData);
    }

    /// <inheritdoc />
    public bool TryUnwrap(string lmkId, ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> dataKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_keys.TryGetValue(lmkId, out var lmk))
        {
            if (!Holds(lmkId))
            {
                throw new LmkUnavailableException($"LMK {lmkId} is not held here ({Description}; current LMK {_currentId})");
            }

            lmk = _keys[lmkId];
        }

        return LmkWrapFormat.TryUnwrap(lmk, wrappedKey, associatedData, dataKey);
    }

    /// <inheritdoc />
    public string BeginRotation()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_nextId is { } resumed)
            {
                return resumed;
            }

            var key = GC.AllocateArray<byte>(KeyLength, pinned: true);
            try
            {
                string id;
                do
                {
                    RandomNumberGenerator.Fill(key);
                    id = LmkIds.Of(key);
                }
                while (id == _currentId || File.Exists(RetiredPath(id)));

                // The record first: a next file written by this code is never without it.
                WriteRotationRecord(id, key);
                if (WriteKeyFile(NextPath, key, overwrite: false))
                {
                    KeyStoreLog.NextLmkCreated(_logger, id, NextPath);
                }

                // Read back what is on disk: another process may have begun the same rotation a moment earlier.
                Load(createIfMissing: false);
                return _nextId ?? throw Missing(NextPath);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <inheritdoc />
    public void CompleteRotation()
    {
        lock (_gate)
        {
            Load(createIfMissing: false);
            if (_nextId is not { } next)
            {
                return;
            }

            var old = _currentId;
            var retired = RetiredPath(old);
            if (!File.Exists(retired))
            {
                WriteKeyFile(retired, _keys[old], overwrite: false);
            }

            File.Move(NextPath, FilePath, overwrite: true);
            _currentId = next;
            _nextId = null;
            DeleteRotationRecords();
            KeyStoreLog.LmkPromoted(_logger, next, old, retired);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var key in _keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _keys.Clear();
    }

    // Reads the next LMK before the current one: a promotion by another process in between then shows as current ==
    // next, which is the promoted state, never as a current LMK without its next. A next LMK is kept only when its
    // rotation record opens under the current LMK; a failed check is read once more, since a promotion by another
    // process (rename, then the record deleted) may have come between the reads.
    private void Load(bool createIfMissing)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 1; ; attempt++)
        {
            var next = ReadKey(NextPath);
            var current = ReadKey(FilePath);
            if (current is null)
            {
                var pendingId = next is null ? null : LmkIds.Of(next);
                Clear(next);
                if (!createIfMissing || pendingId is not null)
                {
                    throw pendingId is null
                        ? new LmkUnavailableException($"The LMK file {FilePath} is missing: restore it from backup (a new LMK would not open the stored keys)")
                        : new LmkUnavailableException($"The LMK file {FilePath} is missing while an LMK rotation is in progress ({NextPath} exists): restore {FilePath} from backup and keep {NextPath}");
                }

                CreateFirstKey();
                current = ReadKey(FilePath) ?? throw Missing(FilePath);
            }

            _currentId = Remember(current);
            if (next is null)
            {
                _nextId = null;
                return;
            }

            var nextId = LmkIds.Of(next);
            if (nextId == _currentId)
            {
                Clear(next);
                _nextId = null;
                return;
            }

            if (RotationRecorded(next, nextId))
            {
                _nextId = Remember(next);
                return;
            }

            Clear(next);
            if (attempt == 2)
            {
                _nextId = null;
                throw RefuseNext(nextId);
            }
        }
    }

    private IntegrityException RefuseNext(string nextId)
    {
        var record = RotationRecordPath(nextId);
        if (_refusedNextId != nextId)
        {
            _refusedNextId = nextId;
            KeyStoreLog.NextLmkRefused(_logger, NextPath, nextId, record, _currentId);
        }

        return new IntegrityException(
            $"The next-LMK file {NextPath} (LMK {nextId}) was not created by an LMK rotation recorded here: {record} is missing or " +
            $"was not written under the current LMK {_currentId}. It is refused and nothing is sealed under it. If nobody ran " +
            $"`ttpctl lmk rotate`, move {NextPath} out of {Path.GetDirectoryName(FilePath)} (keep it for the investigation: someone " +
            "who can write there planted it) and start again; then run `ttpctl lmk rotate` to rotate the LMK. A rotation begun by an " +
            "earlier release must be finished with that release before the upgrade");
    }

    // The record of a rotation towards nextKey: its fingerprint, wrapped under the current LMK with both ids as
    // associated data (mode 0600, replaced whole).
    private void WriteRotationRecord(string nextId, byte[] nextKey)
    {
        Span<byte> fingerprint = stackalloc byte[FingerprintLength];
        try
        {
            Fingerprint(nextKey, fingerprint);
            var record = LmkWrapFormat.Wrap(_keys[_currentId], fingerprint, RecordAssociatedData(_currentId, nextId));
            WriteKeyFile(RotationRecordPath(nextId), record, overwrite: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fingerprint);
        }
    }

    // True when the rotation record of nextId opens under the current LMK and holds nextKey's fingerprint.
    private bool RotationRecorded(byte[] nextKey, string nextId)
    {
        byte[] record;
        try
        {
            record = File.ReadAllBytes(RotationRecordPath(nextId));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[FingerprintLength];
        Span<byte> recorded = stackalloc byte[FingerprintLength];
        try
        {
            Fingerprint(nextKey, expected);
            return LmkWrapFormat.TryUnwrap(_keys[_currentId], record, RecordAssociatedData(_currentId, nextId), recorded)
                && CryptographicOperations.FixedTimeEquals(expected, recorded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
            CryptographicOperations.ZeroMemory(recorded);
        }
    }

    private void DeleteRotationRecords()
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        foreach (var record in Directory.GetFiles(folder, Path.GetFileName(FilePath) + ".rotation-" + LmkIds.Prefix + "*"))
        {
            File.Delete(record);
        }
    }

    private static void Fingerprint(ReadOnlySpan<byte> nextKey, Span<byte> fingerprint) =>
        HMACSHA256.HashData(nextKey, FingerprintLabel, fingerprint);

    /// <summary>The associated data of a rotation record: its version and the current and next LMK ids.</summary>
    internal static byte[] RecordAssociatedData(string currentId, string nextId) =>
        System.Text.Encoding.ASCII.GetBytes($"ttp-lmk-rotation-v1\n{currentId}\n{nextId}");

    private static void Clear(byte[]? key)
    {
        if (key is not null)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private void CreateFirstKey()
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var key = GC.AllocateArray<byte>(KeyLength, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(key);
            if (WriteKeyFile(FilePath, key, overwrite: false))
            {
                KeyStoreLog.LmkFileCreated(_logger, LmkIds.Of(key), FilePath);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // Adds a key read from disk to the keys this provider holds (the buffer is pinned and owned from here on);
    // returns its id.
    private string Remember(byte[] key)
    {
        var id = LmkIds.Of(key);
        if (!_keys.TryAdd(id, key))
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return id;
    }

    /// <summary>Reads a key file into a pinned buffer; null when the file does not exist.</summary>
    private static byte[]? ReadKey(string path)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(handle);
                if ((mode & GroupOrOther) != 0)
                {
                    throw new LmkUnavailableException(
                        $"The LMK file {path} is accessible to group or others (mode {Convert.ToString((int)mode, 8).PadLeft(3, '0')}); " +
                        $"it must be readable by the service account only: run `chmod 600 {path}` and start again");
                }
            }

            var length = RandomAccess.GetLength(handle);
            if (length != KeyLength)
            {
                throw new LmkUnavailableException(
                    $"The LMK file {path} holds {length.ToString(CultureInfo.InvariantCulture)} bytes, not {KeyLength}: restore it from backup");
            }

            var key = GC.AllocateArray<byte>(KeyLength, pinned: true);
            if (RandomAccess.Read(handle, key, 0) != KeyLength)
            {
                CryptographicOperations.ZeroMemory(key);
                throw new LmkUnavailableException($"The LMK file {path} could not be read whole: restore it from backup");
            }

            return key;
        }
    }

    /// <summary>
    /// Writes a key file of mode 0600 that appears whole or not at all (a temporary file renamed); without
    /// <paramref name="overwrite"/>, false when the file already existed (another process wrote it first).
    /// </summary>
    private static bool WriteKeyFile(string path, ReadOnlySpan<byte> key, bool overwrite)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerReadWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static LmkUnavailableException Missing(string path) =>
        new($"The LMK file {path} disappeared while it was being read: is another process changing the LMK?");
}
