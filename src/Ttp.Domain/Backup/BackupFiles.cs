using Ttp.Domain.Integrity;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Backup;

/// <summary>
/// The layout of a backup directory and the file helpers backup and restore share. A backup holds exactly these
/// files, never a walk of the data directory, so the LMK (<c>lmk.key</c> and its <c>.next</c>, <c>.retired-*</c> and
/// <c>.rotation-*</c> files) and the TLS private key are never copied.
/// </summary>
internal static class BackupFiles
{
    /// <summary>The SQLite database copy (<c>VACUUM INTO</c>).</summary>
    public const string SqliteDatabase = "ttp.db";

    /// <summary>The PostgreSQL dump (<c>pg_dump --format=custom</c>).</summary>
    public const string PostgresDump = "ttp.pgdump";

    /// <summary>The anchors file's folder in a backup.</summary>
    public const string Anchors = "anchors";

    /// <summary>The upgrade marker files' folder in a backup.</summary>
    public const string Markers = "markers";

    /// <summary>The data-protection keys' folder, in the data directory and in a backup.</summary>
    public const string DataProtectionKeys = "dataprotection-keys";

    /// <summary>The one-time upgrade markers of the data directory (docs/OPERATIONS.md, "Upgrades and integrity markers").</summary>
    public static readonly IReadOnlyList<string> MarkerNames =
    [
        EnvelopeAttributeUpgrade.MarkerFileName,
        AccessRecordUpgrade.MarkerFileName,
        KeyStateUpgrade.MarkerFileName,
        StaffSecretUpgrade.MarkerFileName,
    ];

    /// <summary>Options that create a new file 0600 and fail when it exists.</summary>
    public static FileStreamOptions PrivateCreate()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Data.DataFiles.PrivateFileMode;
        }

        return options;
    }

    /// <summary>True for a relative path of plain names (no root, no <c>..</c>, no empty part): stays inside its folder.</summary>
    public static bool IsPlainRelativePath(string path) =>
        !string.IsNullOrWhiteSpace(path) && !Path.IsPathRooted(path) &&
        path.Split('/').All(part => part.Length > 0 && part != "." && part != ".." && !part.Contains('\\', StringComparison.Ordinal));

    /// <summary>True when <paramref name="name"/> is an LMK file's name (never in a backup).</summary>
    public static bool IsLmkFileName(string name) =>
        name.StartsWith(LmkOptions.DefaultFileName, StringComparison.Ordinal);

    /// <summary>Copies <paramref name="source"/> to a new file <paramref name="target"/>, mode 0600, flushed to disk.</summary>
    public static async Task CopyPrivateAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var from = File.OpenRead(source);
        await using var to = new FileStream(target, PrivateCreate());
        await from.CopyToAsync(to, cancellationToken);
        to.Flush(flushToDisk: true);
    }

    /// <summary>Creates <paramref name="path"/> (and its parents) 0700.</summary>
    public static string CreatePrivateDirectory(string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent))
        {
            CreatePrivateDirectory(parent);
        }

        return Data.DataFiles.CreateDirectory(path);
    }
}
