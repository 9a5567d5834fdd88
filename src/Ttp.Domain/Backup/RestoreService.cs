using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Backup;

/// <summary>
/// <c>ttpctl restore --from DIR</c>: a backup of <see cref="BackupService"/> into an empty installation. Checks first,
/// restores nothing until all pass: the manifest and every file's SHA-256 (<see cref="IntegrityException"/>), the
/// provider, an empty installation (no database tables, no anchors file; else <see cref="RuleViolationException"/> naming
/// what is there), and the LMK the manifest names, which the key custodians restored beforehand (a file LMK that is
/// missing is never created here). Then the files are written beside their places and moved in, the database restored
/// (SQLite: a copy moved into place; PostgreSQL: <c>pg_restore</c> in one transaction), the installation initialized as at
/// every start (migrations of an older backup, checkpoint of uncovered records), the audit trail verified, and the
/// restore recorded (<c>installation.restored</c>).
/// </summary>
/// <remarks>
/// The LMK provider and everything that needs it are resolved only after the LMK check, from
/// <paramref name="services"/>: resolving a file LMK that is missing would create a new one.
/// </remarks>
public sealed class RestoreService(
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<DataOptions> data,
    IOptions<DatabaseOptions> database,
    IOptions<LmkOptions> lmkOptions,
    IOptions<AuditOptions> auditOptions)
{
    /// <summary>The action of the audit record of a restore.</summary>
    public const string RestoredAction = "installation.restored";

    private const string Staging = ".restoring";

    /// <summary>Restores the backup in <paramref name="fromDirectory"/>.</summary>
    public async Task<RestoreResult> RestoreAsync(string fromDirectory, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromDirectory);
        ArgumentNullException.ThrowIfNull(actor);
        var source = Path.GetFullPath(fromDirectory);
        if (!Directory.Exists(source))
        {
            throw new DomainInputException($"--from: no folder {source}");
        }

        var manifest = await BackupManifest.ReadAsync(source, cancellationToken);
        var provider = database.Value.Provider;
        if (manifest.Provider != provider)
        {
            throw new DomainInputException(
                $"--from: the backup is of a {manifest.Provider} installation; this one is configured for {provider} (Ttp:Database:Provider)");
        }

        var databaseFile = provider == DatabaseProvider.Sqlite ? BackupFiles.SqliteDatabase : BackupFiles.PostgresDump;
        var anchorsEntry = BackupFiles.Anchors + "/" + AuditCheckpointFile.FileName;
        foreach (var required in new[] { databaseFile, anchorsEntry })
        {
            if (manifest.Files.All(f => f.Path != required))
            {
                throw new DomainInputException($"--from: the manifest lists no {required}: not a complete backup");
            }
        }

        await manifest.VerifyFilesAsync(source, cancellationToken);

        var connectionString = DomainServiceCollectionExtensions.ConnectionString(configuration, provider, data.Value);
        var sqliteFile = provider == DatabaseProvider.Sqlite ? DataFiles.SqliteFile(connectionString) : null;
        if (provider == DatabaseProvider.Sqlite && sqliteFile is null)
        {
            throw new DomainInputException("ConnectionStrings:Ttp: restore needs a SQLite database file, not an in-memory or URI database");
        }

        var anchorsFile = Path.Combine(auditOptions.Value.FullAnchorsDirectory(data.Value), AuditCheckpointFile.FileName);
        await RefuseIfNotEmptyAsync(provider, connectionString, sqliteFile, anchorsFile, cancellationToken);
        CheckLmk(manifest.LmkId);

        var moves = await StageAsync(source, manifest, anchorsFile, sqliteFile, cancellationToken);
        var dump = Path.Combine(data.Value.FullDataDirectory, BackupFiles.PostgresDump);
        try
        {
            if (provider == DatabaseProvider.Postgres)
            {
                await PostgresTools.RestoreAsync(connectionString, dump + Staging, cancellationToken);
            }

            if (sqliteFile is not null)
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in DataFiles.SqliteSuffixes.Skip(1))
                {
                    File.Delete(sqliteFile + suffix);
                }
            }

            foreach (var (staged, final) in moves)
            {
                if (final == dump)
                {
                    File.Delete(staged);
                }
                else
                {
                    File.Move(staged, final, overwrite: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            DeleteStaged(moves);
            throw new BackupOperationException($"restore failed: {e.Message}; the staged files were removed (pg_restore runs in one transaction); if the installation is no longer empty, wipe it and run the restore again");
        }
        catch
        {
            DeleteStaged(moves);
            throw;
        }

        var restored = await DatabaseCopy.ReadStateAsync(provider, connectionString, sqliteFile, cancellationToken);
        if (restored.LastSequence != manifest.Audit.LastSequence || !string.Equals(restored.HeadHash, manifest.Audit.HeadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new IntegrityException(
                $"the restored database's audit chain ends at record {restored.LastSequence}, the manifest says {manifest.Audit.LastSequence} " +
                "(or another head hash): the backup's database is not the one its manifest describes; wipe this installation and use another backup");
        }

        await DomainInitializer.InitializeAsync(services, cancellationToken);
        var verification = await services.GetRequiredService<AuditTrailVerifier>().VerifyAsync(cancellationToken);
        verification.ThrowIfBroken();

        var details = new
        {
            From = source,
            BackupCreatedAt = manifest.CreatedAt,
            BackupProductVersion = manifest.ProductVersion,
            BackupLastSequence = manifest.Audit.LastSequence,
            manifest.LmkId,
        };
        await services.GetRequiredService<AuditedTransaction>().RunAsync<int>(
            _ => Task.FromResult((0, AuditRecord.StaffAction(RestoredAction, actor, "installation", details))),
            cancellationToken);
        return new RestoreResult(provider, manifest.CreatedAt, manifest.LmkId, manifest.Audit.LastSequence, verification.RecordCount, verification.Checkpoints ?? 0);
    }

    private static async Task RefuseIfNotEmptyAsync(
        DatabaseProvider provider, string connectionString, string? sqliteFile, string anchorsFile, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        if (await DatabaseCopy.DescribeContentAsync(provider, connectionString, sqliteFile, cancellationToken) is { } content)
        {
            reasons.Add(content);
        }

        if (File.Exists(anchorsFile) && new FileInfo(anchorsFile).Length > 0)
        {
            reasons.Add($"the anchors file {anchorsFile} holds checkpoints");
        }

        if (reasons.Count > 0)
        {
            throw new RuleViolationException(
                $"restore refused: this installation is not empty ({string.Join("; ", reasons)}); restore only into a new installation: an empty database and no anchors file");
        }
    }

    private void CheckLmk(string lmkId)
    {
        if (lmkOptions.Value.Provider == LmkProviderKind.File)
        {
            var file = lmkOptions.Value.ResolveFilePath(data.Value.FullDataDirectory);
            if (!File.Exists(file))
            {
                throw new RuleViolationException(
                    $"restore refused: the LMK file {file} is missing; the backup needs LMK {lmkId}, which is never in a backup: the key custodians restore it first (docs/OPERATIONS.md, \"Backup and restore\")");
            }
        }

        var lmk = services.GetRequiredService<ILmkProvider>();
        if (!lmk.Holds(lmkId))
        {
            throw new RuleViolationException(
                $"restore refused: the backup's keys are sealed under LMK {lmkId}, and this installation's LMK is {lmk.CurrentLmkId} ({lmk.Description}); restore LMK {lmkId} first");
        }
    }

    // Writes each file beside its place (NAME.restoring) and checks the copy against the manifest (what is restored is
    // what was verified, whatever happens to the backup folder meanwhile); moved in once the database is restored. The
    // PostgreSQL dump is staged in the data directory for pg_restore and removed afterwards.
    private async Task<List<(string Staged, string Final)>> StageAsync(
        string source, BackupManifest manifest, string anchorsFile, string? sqliteFile, CancellationToken cancellationToken)
    {
        var moves = new List<(string, string)>();
        var dataDirectory = BackupFiles.CreatePrivateDirectory(data.Value.FullDataDirectory);
        try
        {
            foreach (var file in manifest.Files)
            {
                var parts = file.Path.Split('/');
                string? final = parts switch
                {
                    [BackupFiles.SqliteDatabase] => sqliteFile,
                    [BackupFiles.PostgresDump] => Path.Combine(dataDirectory, BackupFiles.PostgresDump),
                    [BackupFiles.Anchors, AuditCheckpointFile.FileName] => anchorsFile,
                    [BackupFiles.Markers, var name] when BackupFiles.MarkerNames.Contains(name) => Path.Combine(dataDirectory, name),
                    [BackupFiles.DataProtectionKeys, var name] when !BackupFiles.IsLmkFileName(name) =>
                        Path.Combine(BackupFiles.CreatePrivateDirectory(Path.Combine(dataDirectory, BackupFiles.DataProtectionKeys)), name),
                    _ => throw new DomainInputException($"--from: the manifest lists {file.Path}, which no backup of this release holds"),
                };
                if (final is null)
                {
                    continue;
                }

                BackupFiles.CreatePrivateDirectory(Path.GetDirectoryName(final)!);
                var staged = final + Staging;
                File.Delete(staged);
                File.Copy(Path.Combine(source, file.Path), staged);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(staged, DataFiles.PrivateFileMode);
                }

                moves.Add((staged, final));
                var copied = await BackupManifest.DescribeAsync(Path.GetDirectoryName(staged)!, Path.GetFileName(staged), cancellationToken);
                if (copied.Length != file.Length || !string.Equals(copied.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new IntegrityException($"backup {source}: {file.Path} changed while it was restored; nothing was restored");
                }

                if (final == sqliteFile)
                {
                    UseWal(staged);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteStaged(moves);
            throw new BackupOperationException($"restore failed: {e.Message}; nothing was moved into place");
        }
        catch
        {
            DeleteStaged(moves);
            throw;
        }

        return moves;
    }

    private static void DeleteStaged(List<(string Staged, string Final)> moves)
    {
        foreach (var (staged, _) in moves)
        {
            File.Delete(staged);
        }
    }

    // The installation's SQLite files run in WAL mode (DataFiles.CreateDatabaseFile); a VACUUM INTO copy may not.
    private static void UseWal(string file)
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        foreach (var suffix in DataFiles.SqliteSuffixes.Skip(1))
        {
            File.Delete(file + suffix);
        }
    }
}

/// <summary>What a restore brought back: provider, when the backup was taken, its LMK id, where its chain ended, and
/// what the verification after the restore checked (records and checkpoints).</summary>
public sealed record RestoreResult(DatabaseProvider Provider, DateTimeOffset BackupCreatedAt, string LmkId, long BackupLastSequence, long RecordsVerified, int CheckpointsVerified);
