using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ttp.Domain.Data;

namespace Ttp.Domain.Backup;

/// <summary>
/// <c>manifest.json</c> of a backup directory (<c>ttpctl backup</c>): what the backup is (product version, database
/// provider, when it was taken, the LMK id its envelopes need: never the key), where its audit trail ends (last sequence,
/// head hash, the record of the backup itself, the latest checkpoint copied) and the SHA-256 of every file in it. The
/// manifest holds no secret; <see cref="VerifyFilesAsync"/> checks a directory against it before a restore.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The manifest's file name in a backup directory.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format this release writes and reads.</summary>
    public const string CurrentFormat = "ttp-backup-v1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary><see cref="CurrentFormat"/>.</summary>
    public required string Format { get; init; }

    /// <summary>The product version that took the backup (the domain assembly's informational version).</summary>
    public required string ProductVersion { get; init; }

    /// <summary>The database provider: the backup restores only into an installation of the same provider.</summary>
    public required DatabaseProvider Provider { get; init; }

    /// <summary>When the backup was taken (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The LMK the database's envelopes are sealed under (<c>lmk-</c> + check value); the restore needs it.</summary>
    public required string LmkId { get; init; }

    /// <summary>The last migration applied to the copied database (a restore applies later ones).</summary>
    public string? Migration { get; init; }

    /// <summary>Where the copied audit trail ends.</summary>
    public required BackupAuditSummary Audit { get; init; }

    /// <summary>Every file of the backup but the manifest, relative to its directory.</summary>
    public required IReadOnlyList<BackupFile> Files { get; init; }

    /// <summary>Writes the manifest into <paramref name="directory"/>, mode 0600.</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await using var stream = new FileStream(path, BackupFiles.PrivateCreate());
        await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
    }

    /// <summary>Reads the manifest of <paramref name="directory"/>.</summary>
    /// <exception cref="DomainInputException">No backup there, or a manifest this release cannot read (names what is wrong).</exception>
    public static async Task<BackupManifest> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new DomainInputException($"--from: no {FileName} in {directory}: not a backup directory of ttpctl backup");
        }

        BackupManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(path);
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new DomainInputException($"{path}: not a readable backup manifest ({e.Message})");
        }

        if (manifest is null || manifest.Format != CurrentFormat)
        {
            throw new DomainInputException($"{path}: expected format {CurrentFormat}, found {manifest?.Format ?? "none"}");
        }

        foreach (var file in manifest.Files)
        {
            if (!BackupFiles.IsPlainRelativePath(file.Path))
            {
                throw new DomainInputException($"{path}: file entry '{file.Path}' is not a plain path inside the backup directory");
            }
        }

        return manifest;
    }

    /// <summary>The entry of one file: its path relative to <paramref name="directory"/>, SHA-256 and length.</summary>
    public static async Task<BackupFile> DescribeAsync(string directory, string relativePath, CancellationToken cancellationToken)
    {
        var full = Path.Combine(directory, relativePath);
        await using var stream = File.OpenRead(full);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new BackupFile(relativePath.Replace('\\', '/'), Convert.ToHexStringLower(hash), stream.Length);
    }

    /// <summary>
    /// Checks every file the manifest lists against its SHA-256 and length, and that no LMK file is among them.
    /// </summary>
    /// <exception cref="IntegrityException">A file is missing, changed or has another length (names the first).</exception>
    public async Task VerifyFilesAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (var file in Files)
        {
            var full = Path.Combine(directory, file.Path);
            if (!File.Exists(full))
            {
                throw new IntegrityException($"backup {directory}: {file.Path} is listed in the manifest but missing");
            }

            var actual = await DescribeAsync(directory, file.Path, cancellationToken);
            if (actual.Length != file.Length ||
                !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(actual.Sha256), Convert.FromHexString(file.Sha256)))
            {
                throw new IntegrityException($"backup {directory}: {file.Path} does not match its SHA-256 in the manifest (changed or damaged); nothing was restored");
            }
        }
    }
}

/// <summary>One file of a backup: path relative to the backup directory (forward slashes), SHA-256 (hex), length.</summary>
public sealed record BackupFile(string Path, string Sha256, long Length);

/// <summary>
/// Where a backup's audit trail ends: its last record (sequence and chain hash, as in the database copy), the record
/// <c>installation.backed-up</c> of this backup, and the latest signed checkpoint of the anchors copy.
/// </summary>
public sealed record BackupAuditSummary(
    long LastSequence,
    string HeadHash,
    long BackupRecordSequence,
    long? LatestCheckpointSequence,
    string? LatestCheckpointHash,
    DateTimeOffset? LatestCheckpointTime);
