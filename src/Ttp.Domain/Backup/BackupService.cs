using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Backup;

/// <summary>
/// <c>ttpctl backup --out DIR</c>: a consistent copy of a live installation, everything but the LMK. In order:
/// <list type="number">
/// <item>the backup is recorded (<c>installation.backed-up</c>) and checkpointed, so that the copy holds its own record
/// and a restored trail shows when its backup was taken;</item>
/// <item>the anchors file's complete lines are copied (before the database, so that every checkpoint copied covers
/// records the database copy holds; records the copy holds past them are covered at the restore's start-up);</item>
/// <item>the database (<see cref="DatabaseCopy"/>), the upgrade markers and the data-protection key files;</item>
/// <item><c>manifest.json</c> with the SHA-256 of every file.</item>
/// </list>
/// Written into <c>DIR.partial</c> and renamed to DIR when complete: a DIR with a manifest is a whole backup.
/// </summary>
public sealed class BackupService(
    IConfiguration configuration,
    IOptions<DataOptions> data,
    IOptions<DatabaseOptions> database,
    ILmkProvider lmk,
    AuditedTransaction audited,
    AuditCheckpointFile anchors,
    TimeProvider time)
{
    /// <summary>The action of the audit record of a backup.</summary>
    public const string BackedUpAction = "installation.backed-up";

    /// <summary>The action of the audit record of a backup that was recorded but could not be completed.</summary>
    public const string BackupFailedAction = "installation.backup-failed";

    /// <summary>The product version written into manifests: the domain assembly's informational version.</summary>
    public static string ProductVersion { get; } =
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Takes a backup into <paramref name="outDirectory"/> (missing or empty) and returns its manifest.</summary>
    /// <exception cref="DomainInputException"><paramref name="outDirectory"/> is a file or a folder that is not empty.</exception>
    public async Task<BackupManifest> BackupAsync(string outDirectory, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        ArgumentNullException.ThrowIfNull(actor);
        var target = Path.GetFullPath(outDirectory);
        var partial = target + ".partial";
        CheckTarget(target, partial);

        var provider = database.Value.Provider;
        var lmkId = lmk.CurrentLmkId;
        var details = new { Directory = target, Provider = provider.ToString(), ProductVersion, LmkId = lmkId };
        await audited.RunAsync<int>(
            _ => Task.FromResult((0, AuditRecord.StaffAction(BackedUpAction, actor, "installation", details))),
            cancellationToken);

        BackupFiles.CreatePrivateDirectory(partial);
        try
        {
            var manifest = await CopyAsync(partial, provider, lmkId, cancellationToken);
            Directory.Move(partial, target);
            return manifest;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Directory.Delete(partial, recursive: true);
            // The trail already says a backup was started: it also says that this one was not completed. The copy's
            // own failure is the one reported, whether or not this record can be written.
            try
            {
                await audited.RunAsync<int>(
                    _ => Task.FromResult((0, AuditRecord.StaffAction(BackupFailedAction, actor, "installation", new { Directory = target, Problem = e.Message }, "error"))),
                    CancellationToken.None);
            }
            catch (Exception recordFailure) when (recordFailure is DomainException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                throw new BackupOperationException($"backup failed: {e.Message}; {target} was not written, and its failure could not be recorded: {recordFailure.Message}");
            }

            if (e is DomainException)
            {
                throw;
            }

            throw new BackupOperationException($"backup failed: {e.Message}; {target} was not written");
        }
        catch
        {
            Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    private async Task<BackupManifest> CopyAsync(string directory, DatabaseProvider provider, string lmkId, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        var latest = await CopyAnchorsAsync(directory, cancellationToken);
        files.Add(BackupFiles.Anchors + "/" + AuditCheckpointFile.FileName);

        var connectionString = DomainServiceCollectionExtensions.ConnectionString(configuration, provider, data.Value);
        var (databaseFile, state) = await DatabaseCopy.CopyAsync(provider, connectionString, directory, cancellationToken);
        files.Add(databaseFile);
        files.AddRange(await CopyFolderAsync(data.Value.FullDataDirectory, BackupFiles.MarkerNames, directory, BackupFiles.Markers, cancellationToken));
        var keys = Path.Combine(data.Value.FullDataDirectory, BackupFiles.DataProtectionKeys);
        if (Directory.Exists(keys))
        {
            var names = Directory.GetFiles(keys).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            files.AddRange(await CopyFolderAsync(keys, names, directory, BackupFiles.DataProtectionKeys, cancellationToken));
        }

        var entries = new List<BackupFile>();
        foreach (var file in files)
        {
            if (BackupFiles.IsLmkFileName(Path.GetFileName(file)))
            {
                throw new InvalidOperationException($"{file} looks like an LMK file and is never backed up");
            }

            entries.Add(await BackupManifest.DescribeAsync(directory, file, cancellationToken));
        }

        var manifest = new BackupManifest
        {
            Format = BackupManifest.CurrentFormat,
            ProductVersion = ProductVersion,
            Provider = provider,
            CreatedAt = time.GetUtcNow(),
            LmkId = lmkId,
            Migration = state.Migration,
            Audit = new BackupAuditSummary(
                state.LastSequence,
                state.HeadHash,
                state.BackupRecordSequence,
                latest?.Sequence,
                latest is null ? null : Convert.ToHexStringLower(latest.ComputeHash()),
                latest?.Time),
            Files = entries,
        };
        await manifest.WriteAsync(directory, cancellationToken);
        return manifest;
    }

    // The anchors file's complete lines as of now (a line being appended is left out: the next checkpoint has it).
    private async Task<AuditCheckpoint?> CopyAnchorsAsync(string directory, CancellationToken cancellationToken)
    {
        var folder = BackupFiles.CreatePrivateDirectory(Path.Combine(directory, BackupFiles.Anchors));
        await using var writer = new StreamWriter(new FileStream(Path.Combine(folder, AuditCheckpointFile.FileName), BackupFiles.PrivateCreate()));
        writer.NewLine = "\n";
        string? last = null;
        await foreach (var (_, text) in anchors.ReadLinesAsync(cancellationToken))
        {
            await writer.WriteAsync(text + "\n");
            last = text;
        }

        await writer.FlushAsync(cancellationToken);
        return last is null ? null : AuditCheckpointJson.ParseLine(last);
    }

    private static async Task<List<string>> CopyFolderAsync(
        string source, IEnumerable<string> names, string directory, string folder, CancellationToken cancellationToken)
    {
        var copied = new List<string>();
        foreach (var name in names)
        {
            var from = Path.Combine(source, name);
            if (!File.Exists(from) || BackupFiles.IsLmkFileName(name))
            {
                continue;
            }

            BackupFiles.CreatePrivateDirectory(Path.Combine(directory, folder));
            await BackupFiles.CopyPrivateAsync(from, Path.Combine(directory, folder, name), cancellationToken);
            copied.Add(folder + "/" + name);
        }

        return copied;
    }

    private static void CheckTarget(string target, string partial)
    {
        if (File.Exists(target))
        {
            throw new DomainInputException($"--out: {target} is a file; name a new or empty folder");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new DomainInputException($"--out: {target} is not empty; name a new or empty folder (a backup never overwrites)");
        }

        if (Directory.Exists(partial) || File.Exists(partial))
        {
            throw new DomainInputException($"--out: {partial} exists (an interrupted backup?); remove it first");
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target);
        }
    }
}
