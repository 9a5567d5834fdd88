using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Benchmarks;

/// <summary>
/// A migrated SQLite database in a temporary folder, opened the way the product opens it (WAL, synchronous=FULL, through
/// <see cref="TtpDbContextFactory"/>), and a fixed audit key (a benchmark constant, not a secret).
/// </summary>
internal sealed class AuditBenchmarkDatabase : IDisposable
{
    private AuditBenchmarkDatabase(string folder, TtpDbContextFactory factory)
    {
        Folder = folder;
        Factory = factory;
        Key = new AuditKey(Enumerable.Range(1, AuditKey.Length).Select(i => (byte)i).ToArray());
    }

    public string Folder { get; }

    public TtpDbContextFactory Factory { get; }

    public AuditKey Key { get; }

    public static async Task<AuditBenchmarkDatabase> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ttp-audit-bench-").FullName;
        var factory = new TtpDbContextFactory(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "ttp.db")}");
        await TtpDatabase.MigrateAsync(factory);
        return new AuditBenchmarkDatabase(folder, factory);
    }

    /// <summary>What a key request records: request metadata and check values, never a key.</summary>
    public static AuditRecord KeyRequest(long i) => AuditRecord.KeyRequest(
        Ttp.Domain.Actor.Tsm("bench-tsm"),
        "issuer-key:A0000001/1",
        AuditRecord.OutcomeOk,
        new
        {
            Thumbprint = "3F1D6C0E9A8B7766554433221100FFEEDDCCBBAA99887766554433221100FFEE",
            RemoteAddress = "10.0.0.7:52144",
            Iin = "A0000001",
            Kdd = "00003266201710208650",
            Cin = "0102030405",
            Kvn = 1,
            KekIndex = 1,
            Kcvs = new[] { "0A1B2C", "3D4E5F", "607182" },
            LatencyUs = i % 1000,
        });

    public void Dispose()
    {
        Key.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
