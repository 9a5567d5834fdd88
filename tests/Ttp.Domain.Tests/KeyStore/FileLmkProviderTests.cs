using System.Security.Cryptography;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.KeyStore;

public sealed class FileLmkProviderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ttp-lmk-").FullName;

    private string LmkPath => Path.Combine(_folder, "data", "lmk.key");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Constructor_NoFile_CreatesThirtyTwoByteKeyWithMode0600()
    {
        using var lmk = new FileLmkProvider(LmkPath);

        Assert.True(File.Exists(LmkPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LmkPath));
        Assert.Equal(32, new FileInfo(LmkPath).Length);
        Assert.Equal(LmkIds.Of(File.ReadAllBytes(LmkPath)), lmk.CurrentLmkId);
        Assert.Matches("^lmk-[0-9A-F]{6}$", lmk.CurrentLmkId);
        Assert.Null(lmk.NextLmkId);
        Assert.True(lmk.IsSoftware);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LmkPath)!, "*.tmp-*"));
    }

    [Fact]
    public void Constructor_ExistingFile_LoadsTheSameLmk()
    {
        string first;
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            first = lmk.CurrentLmkId;
        }

        using var again = new FileLmkProvider(LmkPath);

        Assert.Equal(first, again.CurrentLmkId);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite)]
    public void Constructor_FileAccessibleToGroupOrOthers_RefusesNamingFileAndChmod(UnixFileMode mode)
    {
        using (new FileLmkProvider(LmkPath))
        {
        }

        File.SetUnixFileMode(LmkPath, mode);

        var error = Assert.Throws<LmkUnavailableException>(() => new FileLmkProvider(LmkPath));
        Assert.Contains(LmkPath, error.Message);
        Assert.Contains($"chmod 600 {LmkPath}", error.Message);
    }

    [Fact]
    public void Constructor_FileOfWrongLength_RefusesNamingFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LmkPath)!);
        File.WriteAllBytes(LmkPath, new byte[16]);
        File.SetUnixFileMode(LmkPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<LmkUnavailableException>(() => new FileLmkProvider(LmkPath));

        Assert.Contains(LmkPath, error.Message);
        Assert.Contains("16 bytes", error.Message);
    }

    [Fact]
    public void Refresh_KeyFileDeleted_RefusesInsteadOfCreatingANewLmk()
    {
        using var lmk = new FileLmkProvider(LmkPath);
        File.Delete(LmkPath);

        var error = Assert.Throws<LmkUnavailableException>(lmk.Refresh);

        Assert.Contains("restore it from backup", error.Message);
        Assert.False(File.Exists(LmkPath));
    }

    [Fact]
    public void BeginRotation_NoRotationInProgress_CreatesNextFileWithMode0600AndHoldsBoth()
    {
        using var lmk = new FileLmkProvider(LmkPath);
        var current = lmk.CurrentLmkId;

        var next = lmk.BeginRotation();

        Assert.NotEqual(current, next);
        Assert.Equal(next, lmk.NextLmkId);
        Assert.Equal(current, lmk.CurrentLmkId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lmk.NextPath));
        Assert.True(lmk.Holds(current));
        Assert.True(lmk.Holds(next));
        Assert.Equal(next, lmk.BeginRotation());
    }

    [Fact]
    public void CompleteRotation_NextExists_PromotesNextAndKeepsOldAsRetiredFile0600()
    {
        using var lmk = new FileLmkProvider(LmkPath);
        var old = lmk.CurrentLmkId;
        var next = lmk.BeginRotation();

        lmk.CompleteRotation();

        Assert.Equal(next, lmk.CurrentLmkId);
        Assert.Null(lmk.NextLmkId);
        Assert.False(File.Exists(lmk.NextPath));
        Assert.Equal(next, LmkIds.Of(File.ReadAllBytes(LmkPath)));
        var retired = lmk.RetiredPath(old);
        Assert.Equal(old, LmkIds.Of(File.ReadAllBytes(retired)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(retired));
    }

    [Fact]
    public void CompleteRotation_KilledAfterWritingTheRetiredCopy_FinishesOnTheNextRun()
    {
        string old;
        string next;
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            old = lmk.CurrentLmkId;
            next = lmk.BeginRotation();

            // The first step of CompleteRotation, then the process dies.
            File.Copy(LmkPath, lmk.RetiredPath(old));
        }

        using var restarted = new FileLmkProvider(LmkPath);
        Assert.Equal(old, restarted.CurrentLmkId);
        Assert.Equal(next, restarted.NextLmkId);
        restarted.CompleteRotation();

        Assert.Equal(next, restarted.CurrentLmkId);
        Assert.Equal(old, LmkIds.Of(File.ReadAllBytes(restarted.RetiredPath(old))));
    }

    [Fact]
    public void Refresh_AnotherProcessRotates_SeesNextThenNewCurrentAndStillUnwrapsOld()
    {
        using var portal = new FileLmkProvider(LmkPath);
        using var cli = new FileLmkProvider(LmkPath);
        var old = portal.CurrentLmkId;
        var dataKey = new byte[32];
        var wrappedUnderOld = portal.Wrap(old, dataKey, "ad"u8);

        var next = cli.BeginRotation();
        portal.Refresh();
        Assert.Equal(next, portal.NextLmkId);

        cli.CompleteRotation();
        portal.Refresh();
        Assert.Equal(next, portal.CurrentLmkId);
        Assert.Null(portal.NextLmkId);

        using var restarted = new FileLmkProvider(LmkPath);
        Assert.True(restarted.Holds(old));
        Assert.True(restarted.TryUnwrap(old, wrappedUnderOld, "ad"u8, new byte[32]));
    }

    [Fact]
    public void BeginRotation_RecordsTheRotationBeforeTheNextFile_AndCompletionRemovesTheRecord()
    {
        using var lmk = new FileLmkProvider(LmkPath);

        var next = lmk.BeginRotation();

        var record = lmk.RotationRecordPath(next);
        Assert.True(File.Exists(record));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(record));
        Assert.True(File.GetLastWriteTimeUtc(record) <= File.GetLastWriteTimeUtc(lmk.NextPath));
        lmk.CompleteRotation();
        Assert.False(File.Exists(record));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(LmkPath)!, "lmk.key.rotation-*"));
    }

    [Fact]
    public void Constructor_NextFilePlantedWithoutRotation_RefusedNamingTheFileAndWhatToDo()
    {
        using (new FileLmkProvider(LmkPath))
        {
        }

        var plantedId = Plant(RandomNumberGenerator.GetBytes(32));

        var error = Assert.Throws<IntegrityException>(() => new FileLmkProvider(LmkPath));
        Assert.Contains(LmkPath + ".next", error.Message);
        Assert.Contains(plantedId, error.Message);
        Assert.Contains("not created by an LMK rotation recorded here", error.Message);
        Assert.Contains("move", error.Message);
        Assert.Contains("ttpctl lmk rotate", error.Message);
    }

    [Fact]
    public void Seal_NextFilePlantedWhileRunning_RefusedAndNothingSealedUnderItUntilRemoved()
    {
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        var current = lmk.CurrentLmkId;
        var record = new EnvelopeContext(Guid.NewGuid(), KeyKind.Kek, "AES256", 1);
        var plantedId = Plant(RandomNumberGenerator.GetBytes(32));

        var error = Assert.Throws<IntegrityException>(() => vault.Seal(record, RandomNumberGenerator.GetBytes(32)));

        Assert.Contains(lmk.NextPath, error.Message);
        Assert.Null(lmk.NextLmkId);
        Assert.Equal(current, lmk.CurrentLmkId);
        Assert.Throws<InvalidOperationException>(() => lmk.Wrap(plantedId, new byte[32], "ad"u8));
        Assert.Throws<IntegrityException>(() => lmk.BeginRotation());

        File.Delete(lmk.NextPath);
        var envelope = vault.Seal(record, RandomNumberGenerator.GetBytes(32));
        Assert.Equal(current, envelope.LmkId);
        Assert.False(lmk.Holds(plantedId));
    }

    [Fact]
    public void Load_NextFileSwappedDuringARotation_Refused()
    {
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            var next = lmk.BeginRotation();

            // Another key in the next file, and the genuine record renamed to its id.
            var swapped = RandomNumberGenerator.GetBytes(32);
            var swappedId = LmkIds.Of(swapped);
            File.Move(lmk.RotationRecordPath(next), lmk.RotationRecordPath(swappedId));
            File.Delete(lmk.NextPath);
            Plant(swapped);
        }

        var error = Assert.Throws<IntegrityException>(() => new FileLmkProvider(LmkPath));
        Assert.Contains(LmkPath + ".next", error.Message);
    }

    [Fact]
    public void Load_RotationRecordAltered_Refused()
    {
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            var record = lmk.RotationRecordPath(lmk.BeginRotation());
            var bytes = File.ReadAllBytes(record);
            bytes[30] ^= 0x01;
            File.WriteAllBytes(record, bytes);
        }

        Assert.Throws<IntegrityException>(() => new FileLmkProvider(LmkPath));
    }

    [Fact]
    public void Load_RotationOfAnotherInstallationCopiedIn_Refused()
    {
        var otherPath = Path.Combine(_folder, "other", "lmk.key");
        using (new FileLmkProvider(LmkPath))
        {
        }

        using (var other = new FileLmkProvider(otherPath))
        {
            var next = other.BeginRotation();
            File.Copy(other.NextPath, LmkPath + ".next");
            File.Copy(other.RotationRecordPath(next), LmkPath + ".rotation-" + next);
        }

        Assert.Throws<IntegrityException>(() => new FileLmkProvider(LmkPath));
    }

    [Fact]
    public void Load_RecordUnderTheCurrentLmkForAnotherKeyWithTheSameId_Refused()
    {
        string current;
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            current = lmk.CurrentLmkId;
        }

        // A record that opens under the current LMK and names the next file's id, as a rotation towards another key with
        // the same (three-byte) id would have left: only the fingerprint tells the keys apart. As control, the same
        // record with the right fingerprint (HMAC-SHA256 of the label under the key, by the BCL) is accepted.
        var planted = RandomNumberGenerator.GetBytes(32);
        var plantedId = Plant(planted);
        var lmkKey = File.ReadAllBytes(LmkPath);
        var associatedData = FileLmkProvider.RecordAssociatedData(current, plantedId);
        var recordPath = LmkPath + ".rotation-" + plantedId;
        File.WriteAllBytes(recordPath, LmkWrapFormat.Wrap(lmkKey, RandomNumberGenerator.GetBytes(32), associatedData));

        Assert.Throws<IntegrityException>(() => new FileLmkProvider(LmkPath));

        File.WriteAllBytes(recordPath, LmkWrapFormat.Wrap(lmkKey, HMACSHA256.HashData(planted, "ttp-lmk-rotation-fingerprint-v1"u8), associatedData));
        using var accepted = new FileLmkProvider(LmkPath);
        Assert.Equal(plantedId, accepted.NextLmkId);
    }

    [Fact]
    public void Load_RecordedRotationInterrupted_ResumesWithTheSameNextLmk()
    {
        string next;
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            next = lmk.BeginRotation();
        }

        using var restarted = new FileLmkProvider(LmkPath);

        Assert.Equal(next, restarted.NextLmkId);
        Assert.Equal(next, restarted.BeginRotation());
    }

    [Fact]
    public void Holds_UnknownOrMalformedId_False()
    {
        using var lmk = new FileLmkProvider(LmkPath);

        Assert.False(lmk.Holds("lmk-000000"));
        Assert.False(lmk.Holds("../../etc/passwd"));
    }

    // Writes a next-LMK file of mode 0600 beside the LMK, as someone who can write the folder would; returns its id.
    private string Plant(byte[] key)
    {
        var path = LmkPath + ".next";
        File.WriteAllBytes(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return LmkIds.Of(key);
    }

    [Fact]
    public void TryUnwrap_OtherAssociatedData_False()
    {
        using var lmk = new FileLmkProvider(LmkPath);
        var wrapped = lmk.Wrap(lmk.CurrentLmkId, new byte[32], "record A"u8);

        Assert.False(lmk.TryUnwrap(lmk.CurrentLmkId, wrapped, "record B"u8, new byte[32]));
    }
}
