using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Backup;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The conversion of an installation whose portal kept its data-protection keys as files in
/// <c>data/dataprotection-keys/</c>: each file's key element is sealed into <c>data_protection_keys</c>
/// (<see cref="DataProtectionKeyStore"/>), so staff signed in before the upgrade stay signed in. One audited
/// transaction (the number of keys, never their content), then a marker file in the data directory; from then on the
/// folder is not read again (the database is the key ring; the files may be deleted).
/// </summary>
public sealed class DataProtectionKeyImport(
    AuditedTransaction audited,
    DataProtectionKeyStore store,
    IOptions<DataOptions> data)
{
    /// <summary>The marker's file name in the data directory.</summary>
    public const string MarkerFileName = "dataprotection-keys-in-database.done";

    /// <summary>The audit action of the import.</summary>
    public const string ImportedAction = "dataprotection.keys-imported";

    private const string MarkerText = "The data-protection key files were imported into the database.";

    /// <summary>The folder the portal kept its keys in before.</summary>
    public string KeyDirectory => Path.Combine(data.Value.FullDataDirectory, BackupFiles.DataProtectionKeys);

    /// <summary>Imports the key files once; returns how many keys were imported (0 once done or when there are none).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (UpgradeMarker.IsDone(data.Value, MarkerFileName))
        {
            return 0;
        }

        var files = Directory.Exists(KeyDirectory)
            ? Directory.GetFiles(KeyDirectory, "*.xml").Order(StringComparer.Ordinal).ToList()
            : [];
        var imported = 0;
        if (files.Count > 0)
        {
            imported = await audited.RunAsync(async db =>
            {
                var known = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(cancellationToken);
                var count = 0;
                foreach (var file in files)
                {
                    var name = Path.GetFileNameWithoutExtension(file);
                    if (known.Contains(name, StringComparer.Ordinal))
                    {
                        continue;
                    }

                    // The element as data protection wrote it (its key descriptor already sealed by the portal's
                    // LmkXmlEncryptor); parsed so that a file that is not XML stops the import before anything is written.
                    var element = System.Xml.Linq.XElement.Parse(await File.ReadAllTextAsync(file, cancellationToken));
                    db.DataProtectionKeys.Add(store.Seal(name, element.ToString(System.Xml.Linq.SaveOptions.DisableFormatting)));
                    count++;
                }

                return (count, AuditRecord.StaffAction(ImportedAction, Actor.System, "data-protection key ring", new { Keys = count, Files = files.Count }));
            }, cancellationToken);
        }

        await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, MarkerText, cancellationToken);
        return imported;
    }
}
