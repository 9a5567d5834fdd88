using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>
/// An installation (<see cref="KeyRequestEnvironment"/>) with the ceremony's staff: a Security officer who is also a Key
/// custodian (so that only the opener rule can refuse them), three Key custodians, and the two Operators.
/// </summary>
internal sealed class CeremonyEnvironment : IAsyncDisposable
{
    public const string OfficerEmail = "so@ttp.example";
    public const string Custodian1Email = "kc1@ttp.example";
    public const string Custodian2Email = "kc2@ttp.example";
    public const string Custodian3Email = "kc3@ttp.example";
    public static readonly Actor Officer = Actor.Staff(OfficerEmail);
    public static readonly Actor Custodian1 = Actor.Staff(Custodian1Email);
    public static readonly Actor Custodian2 = Actor.Staff(Custodian2Email);
    public static readonly Actor Custodian3 = Actor.Staff(Custodian3Email);

    private CeremonyEnvironment(KeyRequestEnvironment inner) => Inner = inner;

    public KeyRequestEnvironment Inner { get; }

    public CeremonyService Ceremonies => Inner.Services.GetRequiredService<CeremonyService>();

    public static async Task<CeremonyEnvironment> CreateAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null)
    {
        var inner = await KeyRequestEnvironment.CreateAsync(provider, configure: configure);
        await using var scope = inner.Services.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
        await staff.AddAsync(OfficerEmail, [StaffRoles.SecurityOfficer, StaffRoles.KeyCustodian], "Correct-Horse-Battery-9", Actor.System);
        foreach (var email in new[] { Custodian1Email, Custodian2Email, Custodian3Email })
        {
            await staff.AddAsync(email, StaffRoles.KeyCustodian, "Correct-Horse-Battery-9", Actor.System);
        }

        return new CeremonyEnvironment(inner);
    }

    /// <summary>Opens a ceremony importing the SCP02 EMV key set <see cref="KeyRequestTestData.Iin"/>/<paramref name="kvn"/> (16 bytes).</summary>
    public Task<Ceremony> OpenAsync(int kvn = 0xFF, int components = 2, IReadOnlyList<string>? custodians = null) =>
        Ceremonies.OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport(KeyRequestTestData.Iin, kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11), 16, components, custodians, Officer);

    /// <summary>Enters a copy of <paramref name="componentHex"/> with its true check value (the service clears what it gets).</summary>
    public Task<Ceremony> EnterAsync(Guid ceremony, string componentHex, Actor custodian) =>
        Ceremonies.EnterComponentAsync(ceremony, Hex.Parse(componentHex, "component"), CheckValue(componentHex), custodian);

    public static string CheckValue(string keyHex) => Hex.Encode(KeyCheckValue.Des(Hex.Parse(keyHex, "key")));

    /// <summary>Two components (hex) whose XOR is <paramref name="keyHex"/>: a fixed mask, and the key XOR the mask.</summary>
    public static (string First, string Second) Split(string keyHex)
    {
        var key = Hex.Parse(keyHex, "key");
        var mask = Hex.Parse("0F1E2D3C4B5A69788796A5B4C3D2E1F0", "mask");
        return (Hex.Encode(key.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray()), Hex.Encode(mask));
    }

    /// <summary>Reads the ceremony's row with SQL: its state and whether any envelope column holds a value.</summary>
    public async Task<(int State, bool HasEnvelope)> ReadRowAsync(Guid id)
    {
        var idLiteral = Inner.Database.Provider == DatabaseProvider.Sqlite ? id.ToString("D").ToUpperInvariant() : id.ToString("D");
        var rows = await QueryAsync(
            $"SELECT state, envelope_payload, envelope_wrapped_key, envelope_lmk_id FROM ceremonies WHERE CAST(id AS TEXT) = '{idLiteral}' OR CAST(id AS TEXT) = '{id:D}'");
        var row = Assert.Single(rows);
        return (Convert.ToInt32(row[0], CultureInfo.InvariantCulture), row.Skip(1).Any(v => v is not null && v is not DBNull));
    }

    /// <summary>Every row of every table as text (binary columns in hex): what a reader of the database sees.</summary>
    public async Task<string> DumpDatabaseAsync()
    {
        var sqlite = Inner.Database.Provider == DatabaseProvider.Sqlite;
        var tables = (await QueryAsync(sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
            .Select(r => (string)r[0]!).ToList();
        Assert.Contains("ceremonies", tables);
        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            foreach (var row in await QueryAsync($"SELECT * FROM \"{table}\""))
            {
                dump.Append(table).Append(':');
                foreach (var value in row)
                {
                    dump.Append(value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, CultureInfo.InvariantCulture)).Append('|');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }

    public async ValueTask DisposeAsync() => await Inner.DisposeAsync();

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using DbConnection connection = Inner.Database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection($"Data Source={Inner.Database.SqlitePath};Pooling=False")
            : new NpgsqlConnection(Inner.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add(values);
        }

        return rows;
    }
}
