using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Audit;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// An installation as the previous release left it, written without this release's code: the schema up to its last
/// migration (<see cref="LastMigration"/>); a data directory (0700) with the file LMK as that release created it
/// (<c>lmk.key</c>, 32 random bytes, 0600); the audit key and every issuer master key and KEK as format-1 envelopes
/// (<see cref="LegacyEnvelope"/>); an HMAC-chained audit trail (<see cref="LegacyAuditChain"/>); TSMs, certificates and
/// scope entries without MAC columns; staff accounts with Identity's default clear tokens (authenticator key and
/// recovery codes under <c>[AspNetUserStore]</c>). Rows are written with SQL, as that release's schema holds them (enum
/// values as that release numbered them). Check values are computed here with the BCL.
/// </summary>
internal sealed class PreviousReleaseInstallation : IAsyncDisposable
{
    /// <summary>The previous release's last migration.</summary>
    public const string LastMigration = "TsmContacts";

    public const string Registrar = "user:op-a@ttp.example";
    public const string Approver = "user:op-b@ttp.example";

    // Enum values as the previous release stored them (git show 197ef74:src/Ttp.Domain/...).
    private const int Scp02 = 2;
    private const int EmvCps11 = 1;
    private const int IssuerKeySetActive = 1;
    private const int KekTdes2 = 1;
    private const int KekGpEncrypted = 2;
    private const int KekActive = 1;
    private const int TsmActive = 1;

    // Identity's own token names (UserStoreBase), which the previous release used unchanged.
    private const string IdentityProvider = "[AspNetUserStore]";

    private static readonly string[] Roles = ["Administrator", "Operator", "SecurityOfficer", "KeyCustodian", "Auditor"];

    private readonly byte[] _lmk;
    private bool _rolesWritten;

    private PreviousReleaseInstallation(TestDatabase database, string folder, byte[] lmk)
    {
        Database = database;
        Folder = folder;
        _lmk = lmk;
        Services = NewProcess();
    }

    public TestDatabase Database { get; }

    /// <summary>The temporary folder holding the data directory (and anything else of the test).</summary>
    public string Folder { get; }

    /// <summary><c>Ttp:DataDirectory</c>: the LMK, the markers and the anchors of the upgrade.</summary>
    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>How many audit records the previous release wrote (sequences 1..N, HMAC-chained).</summary>
    public int AuditRecords { get; private set; }

    /// <summary>The configuration this release reads (the same for the domain's services and for <c>ttpctl --config</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Ttp"] = Database.ConnectionString,
        ["Ttp:DataDirectory"] = DataDirectory,
        ["Ttp:Database:Provider"] = Database.Provider.ToString(),
        ["Ttp:Audit:BatchMaxDelayMs"] = "0",
    };

    /// <summary>This release's services over the installation, not initialized (disposed with the installation).</summary>
    public ServiceProvider Services { get; }

    /// <summary>
    /// Schema, data directory, LMK, audit key and <paramref name="auditRecords"/> audit records of the previous release.
    /// </summary>
    public static async Task<PreviousReleaseInstallation> CreateAsync(DatabaseProvider provider, int auditRecords = 5)
    {
        var database = await TestDatabase.CreateAsync(provider, LastMigration);
        var folder = Directory.CreateTempSubdirectory("ttp-previous-release-").FullName;
        try
        {
            var data = Path.Combine(folder, "data");
            var lmk = RandomNumberGenerator.GetBytes(32);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(data);
                await File.WriteAllBytesAsync(Path.Combine(data, "lmk.key"), lmk);
            }
            else
            {
                Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
                await using var file = new FileStream(Path.Combine(data, "lmk.key"), options);
                await file.WriteAsync(lmk);
            }

            var installation = new PreviousReleaseInstallation(database, folder, lmk);
            await installation.WriteAuditTrailAsync(auditRecords);
            return installation;
        }
        catch
        {
            await database.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The services of another process on the installation (a restart after the upgrade, or one that was interrupted),
    /// not initialized. The caller disposes it.
    /// </summary>
    public ServiceProvider NewProcess()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTtpDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>An active SCP02 issuer key set (EMV CPS 1.1, 2-key TDES) for <paramref name="iin"/>.</summary>
    public async Task<LegacyKey> AddIssuerKeySetAsync(string iin, int kvn, byte[] masterKey)
    {
        if (masterKey.Length != 16)
        {
            throw new ArgumentException("An SCP02 master key is 16 bytes.", nameof(masterKey));
        }

        var key = new LegacyKey("issuer_key_sets", Guid.NewGuid(), KeyKind.IssuerMasterKey, "TDES2", kvn,
            $"iin={iin};kvn={kvn};scheme={Scp02};method={EmvCps11};length={masterKey.Length}", TdesCheckValue(masterKey));
        var envelope = LegacyEnvelope.SealFormat1(_lmk, key.Id, key.Kind, key.Algorithm, key.Version, masterKey);
        var now = Now();
        await InsertAsync("issuer_key_sets",
            ("id", key.Id), ("iin", iin), ("kvn", kvn), ("scheme", Scp02), ("method", EmvCps11), ("key_length", masterKey.Length),
            ("key_check_value", Convert.ToHexString(key.CheckValue)), ("state", IssuerKeySetActive),
            ("envelope_format", envelope.Format), ("envelope_lmk_id", envelope.LmkId), ("envelope_wrapped_key", envelope.WrappedDataKey), ("envelope_payload", envelope.Payload),
            ("created_by", Registrar), ("created_at", now), ("activated_by", Approver), ("activated_at", now));
        return key;
    }

    /// <summary>An active (approved) TSM with one pinned certificate (self-signed, valid for 30 days) and its issuer scope.</summary>
    public async Task<LegacyTsm> AddAccreditedTsmAsync(string name, params string[] issuers)
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Test TSM", signer, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var tsm = new LegacyTsm(Guid.NewGuid(), name, Guid.NewGuid(), new KeyRequestCaller(
            Convert.ToHexString(SHA256.HashData(certificate.RawData)), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), "192.0.2.10"));
        var now = Now();
        await InsertAsync("tsms",
            ("id", tsm.Id), ("name", name), ("organisation", "Test"), ("state", TsmActive),
            ("registered_by", Registrar), ("registered_at", now), ("approved_by", Approver), ("approved_at", now));
        await InsertAsync("tsm_certificates",
            ("id", tsm.CertificateId), ("tsm_id", tsm.Id), ("sha256thumbprint", tsm.Caller.CertificateSha256Thumbprint),
            ("subject", certificate.Subject), ("issuer", certificate.Issuer),
            ("not_before", new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero)), ("not_after", tsm.Caller.CertificateNotAfter),
            ("der", certificate.RawData), ("added_at", now));
        foreach (var iin in issuers)
        {
            await InsertAsync("tsm_issuer_scope", ("id", Guid.NewGuid()), ("tsm_id", tsm.Id), ("iin", iin));
        }

        return tsm;
    }

    /// <summary>An active 2-key TDES KEK of <paramref name="tsmId"/> delivering GlobalPlatform cryptograms.</summary>
    public async Task<LegacyKey> AddKekAsync(Guid tsmId, int index, byte[] kek)
    {
        if (kek.Length != 16)
        {
            throw new ArgumentException("A 2-key TDES KEK is 16 bytes.", nameof(kek));
        }

        var key = new LegacyKey("keks", Guid.NewGuid(), KeyKind.Kek, "TDES2", index,
            $"tsm={tsmId:D};index={index};algorithm={KekTdes2};format={KekGpEncrypted}", TdesCheckValue(kek));
        var envelope = LegacyEnvelope.SealFormat1(_lmk, key.Id, key.Kind, key.Algorithm, key.Version, kek);
        await InsertAsync("keks",
            ("id", key.Id), ("tsm_id", tsmId), ("index", index), ("algorithm", KekTdes2), ("format", KekGpEncrypted),
            ("key_check_value", Convert.ToHexString(key.CheckValue)), ("state", KekActive),
            ("envelope_format", envelope.Format), ("envelope_lmk_id", envelope.LmkId), ("envelope_wrapped_key", envelope.WrappedDataKey), ("envelope_payload", envelope.Payload),
            ("created_by", Registrar), ("created_at", Now()));
        return key;
    }

    /// <summary>
    /// A staff member with <paramref name="role"/>, a password (Identity's default hasher), an enrolled authenticator
    /// (two-factor enabled) and ten recovery codes, the last two in Identity's clear tokens as the previous release kept
    /// them: the key in base32 (20 random bytes, as Identity generates it), the codes joined with ';'.
    /// </summary>
    public async Task<LegacyStaffUser> AddStaffUserAsync(string email, string password, string role)
    {
        if (!_rolesWritten)
        {
            foreach (var name in Roles)
            {
                await InsertAsync("AspNetRoles", ("id", Guid.NewGuid()), ("name", name), ("normalized_name", name.ToUpperInvariant()), ("concurrency_stamp", Guid.NewGuid().ToString()));
            }

            _rolesWritten = true;
        }

        var secret = RandomNumberGenerator.GetBytes(20);
        var codes = Enumerable.Range(0, 10).Select(_ => RecoveryCode()).ToArray();
        var user = new LegacyStaffUser(Guid.NewGuid(), email, password, secret, Base32(secret), codes);
        await InsertAsync("AspNetUsers",
            ("id", user.Id), ("is_disabled", false), ("user_name", email), ("normalized_user_name", email.ToUpperInvariant()),
            ("email", email), ("normalized_email", email.ToUpperInvariant()), ("email_confirmed", true),
            ("password_hash", new PasswordHasher<object>().HashPassword(user, password)),
            ("security_stamp", Base32(RandomNumberGenerator.GetBytes(20))), ("concurrency_stamp", Guid.NewGuid().ToString()),
            ("phone_number_confirmed", false), ("two_factor_enabled", true), ("lockout_enabled", true), ("access_failed_count", 0));
        await ExecuteSqlAsync(
            $"INSERT INTO \"AspNetUserRoles\" (user_id, role_id) SELECT {IdLiteral(user.Id)}, id FROM \"AspNetRoles\" WHERE normalized_name = '{role.ToUpperInvariant()}'");
        await InsertAsync("AspNetUserTokens", ("user_id", user.Id), ("login_provider", IdentityProvider), ("name", "AuthenticatorKey"), ("value", user.AuthenticatorKey));
        await InsertAsync("AspNetUserTokens", ("user_id", user.Id), ("login_provider", IdentityProvider), ("name", "RecoveryCodes"), ("value", string.Join(';', codes)));
        return user;
    }

    /// <summary>The envelope columns of <paramref name="key"/>'s row, read with SQL.</summary>
    public async Task<StoredEnvelope> ReadEnvelopeAsync(LegacyKey key)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload FROM {key.Table} WHERE id = {IdLiteral(key.Id)}";
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"{key.Table} {key.Id} is gone");
        }

        return new StoredEnvelope(reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3));
    }

    /// <summary>
    /// Whether <paramref name="envelope"/> opens under the LMK with <paramref name="associatedData"/> to the key
    /// <paramref name="key"/> had when the previous release stored it (check values compared in constant time; the key
    /// is cleared and never shown).
    /// </summary>
    public bool OpensToTheSameKey(LegacyKey key, StoredEnvelope envelope, string associatedData)
    {
        var opened = LegacyEnvelope.TryOpen(_lmk, envelope, key.Id, key.Kind, associatedData);
        if (opened is null)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(TdesCheckValue(opened), key.CheckValue);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(opened);
        }
    }

    /// <summary>Every value of Identity's token table, with SQL: <c>login_provider/name=value</c> a line.</summary>
    public async Task<string> IdentityTokensAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT login_provider, name, value FROM \"AspNetUserTokens\" ORDER BY login_provider, name";
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            text.Append(reader.GetString(0)).Append('/').Append(reader.GetString(1)).Append('=')
                .Append(reader.IsDBNull(2) ? string.Empty : reader.GetString(2)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own, as an operator with sqlite3 or psql would.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row <paramref name="sql"/> selects as text: values separated by '|' (bytes in hex), a row a line.</summary>
    public async Task<string> QueryTextAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToHexString(bytes),
                    IFormattable value => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    var value => value.ToString(),
                }).Append('|');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The single number <paramref name="sql"/> selects.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A GUID as an SQL literal of the provider (SQLite: upper-case text, as EF Core stores it; PostgreSQL: uuid).</summary>
    public string IdLiteral(Guid id) => Database.Provider == DatabaseProvider.Sqlite ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'";

    /// <summary>
    /// A trigger that makes every update of <paramref name="table"/> fail with <paramref name="message"/>: the shape a
    /// power cut leaves when it hits a conversion while it writes that table (its transaction never commits).
    /// </summary>
    public Task<int> FailUpdatesOfAsync(string table, string message) => ExecuteSqlAsync(Database.Provider == DatabaseProvider.Sqlite
        ? $"CREATE TRIGGER test_interrupt_{table} BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        : $"CREATE FUNCTION test_interrupt_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$; " +
          $"CREATE TRIGGER test_interrupt_{table} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION test_interrupt_{table}();");

    /// <summary>Removes the trigger of <see cref="FailUpdatesOfAsync"/>.</summary>
    public Task<int> AllowUpdatesOfAsync(string table) => ExecuteSqlAsync(Database.Provider == DatabaseProvider.Sqlite
        ? $"DROP TRIGGER test_interrupt_{table};"
        : $"DROP TRIGGER test_interrupt_{table} ON {table}; DROP FUNCTION test_interrupt_{table}();");

    public async ValueTask DisposeAsync()
    {
        CryptographicOperations.ZeroMemory(_lmk);
        await Services.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>
    /// The TDES check value (TDES-ECB of eight zero bytes, first three bytes), with the BCL (a 2-key key as K1 K2 K1:
    /// OpenSSL takes 3-key TDES only).
    /// </summary>
    private static byte[] TdesCheckValue(byte[] key)
    {
        byte[] threeKey = key.Length == 16 ? [.. key, .. key.AsSpan(0, 8)] : [.. key];
        try
        {
#pragma warning disable CA5350 // SCP02 keys and their check values are TDES by definition.
            using var tdes = TripleDES.Create();
#pragma warning restore CA5350
            tdes.Key = threeKey;
            return tdes.EncryptEcb(new byte[8], PaddingMode.None)[..3];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(threeKey);
        }
    }

    // Microseconds: what both databases keep.
    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.UtcTicks % 10));
    }

    /// <summary>RFC 4648 base32 without padding, as Identity encodes authenticator keys.</summary>
    private static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(alphabet[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    /// <summary>A recovery code as Identity makes them: two groups of five characters of its alphabet.</summary>
    private static string RecoveryCode()
    {
        const string alphabet = "23456789BCDFGHJKMNPQRTVWXY";
        return RandomNumberGenerator.GetString(alphabet, 5) + "-" + RandomNumberGenerator.GetString(alphabet, 5);
    }

    // The previous release's audit key (a format-1 system key) and its HMAC-chained records.
    private async Task WriteAuditTrailAsync(int records)
    {
        var key = RandomNumberGenerator.GetBytes(AuditKey.Length);
        var envelope = LegacyEnvelope.SealFormat1(_lmk, SystemKey.AuditKeyId, KeyKind.AuditKey, "HMACSHA256", 1, key);
        await InsertAsync("system_keys",
            ("id", SystemKey.AuditKeyId), ("kind", (int)KeyKind.AuditKey),
            ("envelope_format", envelope.Format), ("envelope_lmk_id", envelope.LmkId), ("envelope_wrapped_key", envelope.WrappedDataKey), ("envelope_payload", envelope.Payload),
            ("created_at", Now()));
        using var auditKey = new AuditKey(key);
        if (records > 0)
        {
            await LegacyAuditChain.AppendAsync(Database, auditKey, records, schemaHasTransition: false);
        }

        AuditRecords = records;
    }

    private async Task InsertAsync(string table, params (string Column, object Value)[] values)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", values.Select(v => $"\"{v.Column}\""))}) " +
            $"VALUES ({string.Join(", ", values.Select((_, i) => $"@p{i}"))})";
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = AsStored(values[i].Value);
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    // Values as each provider's columns hold them (SQLite as EF Core maps them: GUIDs upper-case text, times Unix
    // microseconds, booleans 0/1).
    private object AsStored(object value) => (value, Database.Provider) switch
    {
        (Guid id, DatabaseProvider.Sqlite) => id.ToString().ToUpperInvariant(),
        (DateTimeOffset time, DatabaseProvider.Sqlite) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
        (DateTimeOffset time, _) => time.ToUniversalTime(),
        (bool flag, DatabaseProvider.Sqlite) => flag ? 1L : 0L,
        _ => value,
    };

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection($"Data Source={Database.SqlitePath};Pooling=False")
            : new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
