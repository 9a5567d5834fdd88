using System.Collections.Frozen;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// What a key request reads from the database (TSMs with their certificates and scope, active KEKs, issuer key sets,
/// the latter two as sealed envelopes only; every row authenticated by its MAC), held in memory and checked for currency on every request with one tiny
/// query: the <see cref="DirectoryVersion"/> that the database increments, in the same transaction, on any change of
/// those tables. A suspension, a revocation, a new KEK or an LMK rotation is therefore seen by the very next request,
/// whichever process made it. A singleton.
/// </summary>
/// <remarks>
/// The version is read before the tables, so a copy is never older than the version it is filed under (a change
/// committed in between makes the copy newer, and the next request reloads). No key is held in clear but the TR-31
/// wrappers of the copy's active KEKs (<see cref="KekWrappers"/>, disposed with the copy); other envelopes are opened
/// per request by <see cref="KeyStore.KeyVault"/>. The version is read on a connection of its own, kept
/// open with the query prepared (one request at a time on it: a few microseconds on SQLite), and reopened after a
/// failure.
/// </remarks>
public sealed class KeyRequestDirectory(IDbContextFactory<TtpDbContext> factory, RecordKeyHolder recordKey, IntegrityAlarm alarm) : IDisposable
{
    private static readonly string VersionQuery = $"SELECT version FROM {DirectoryVersion.Table} WHERE id = {DirectoryVersion.SingletonId}";

    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly SemaphoreSlim _versionGate = new(1, 1);
    private volatile Snapshot? _current;
    private DbConnection? _versionConnection;
    private DbCommand? _versionCommand;

    /// <summary>The copy loaded last, without asking the database (null before the first load).</summary>
    public Snapshot? Latest => _current;

    /// <summary>
    /// The directory as the database holds it now: the cached copy when the database's version still matches it, else a
    /// fresh copy (one load at a time; concurrent callers wait for it).
    /// </summary>
    /// <exception cref="IntegrityException">The version row is missing (the database was not migrated, or was tampered with).</exception>
    public async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var version = await ReadVersionAsync(cancellationToken);
        var current = _current;
        if (current is not null && current.Version == version)
        {
            return current;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (current is not null && current.Version == version)
            {
                return current;
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var authenticator = await recordKey.GetAsync(cancellationToken);
            var rejected = new List<IAuthenticatedRecord>();
            current = await LoadAsync(db, version, authenticator, rejected, cancellationToken);
            current.Rejected = [.. rejected.Select(r => new RejectedRecord(r.OwningTsmId, r.Describe()))];
            await alarm.RecordsRejectedAsync(rejected, cancellationToken);
            var replaced = _current;
            _current = current;
            replaced?.Wrappers.Dispose();
            return current;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A version read still in flight (a request, a background refresh of the pins) finishes first: closing its
        // connection under it fails in the driver (Npgsql: "already in state Executing").
        var held = _versionGate.Wait(TimeSpan.FromSeconds(10));
        try
        {
            CloseVersionConnection();
        }
        finally
        {
            if (held)
            {
                _versionGate.Release();
            }
        }

        _current?.Wrappers.Dispose();
        _reload.Dispose();
        _versionGate.Dispose();
    }

    private async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await _versionGate.WaitAsync(cancellationToken);
        try
        {
            var command = _versionCommand ?? await OpenVersionCommandAsync(cancellationToken);
            return await command.ExecuteScalarAsync(cancellationToken) is { } value
                ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new IntegrityException($"The {DirectoryVersion.Table} row is missing; run the migrations (ttpctl init).");
        }
        catch
        {
            // A broken or cancelled connection is not reused: the next request opens a new one.
            CloseVersionConnection();
            throw;
        }
        finally
        {
            _versionGate.Release();
        }
    }

    // A connection of the same provider and connection string as the contexts', owned by this directory.
    private async Task<DbCommand> OpenVersionCommandAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var provider = DbProviderFactories.GetFactory(db.Database.GetDbConnection())
            ?? throw new InvalidOperationException("The database provider has no DbProviderFactory.");
        _versionConnection = provider.CreateConnection() ?? throw new InvalidOperationException("The database provider cannot create connections.");
        _versionConnection.ConnectionString = db.Database.GetConnectionString();
        await _versionConnection.OpenAsync(cancellationToken);
        _versionCommand = _versionConnection.CreateCommand();
        _versionCommand.CommandText = VersionQuery;
        await _versionCommand.PrepareAsync(cancellationToken);
        return _versionCommand;
    }

    private void CloseVersionConnection()
    {
        _versionCommand?.Dispose();
        _versionConnection?.Dispose();
        (_versionCommand, _versionConnection) = (null, null);
    }

    // Access records, issuer key sets and KEKs whose MAC fails are left out (a TSM with all its certificates and scope)
    // and reported in <paramref name="rejected"/>: they count as absent, so they can only narrow what anyone gets.
    private static async Task<Snapshot> LoadAsync(
        TtpDbContext db, long version, RecordAuthenticator authenticator, List<IAuthenticatedRecord> rejected, CancellationToken cancellationToken)
    {
        var tsms = (await db.Tsms.AsNoTracking().Include(t => t.Scope).ToListAsync(cancellationToken))
            .Where(t => Authentic(t, authenticator, rejected)).ToDictionary(t => t.Id);
        var certificates = (await db.TsmCertificates.AsNoTracking().ToListAsync(cancellationToken))
            .Where(c => Authentic(c, authenticator, rejected)).ToList();
        // Key sets and KEKs whose MAC fails (a state, version or index set in SQL) are left out before an active one is
        // chosen, so a KEK set back to Active cannot stand in for the one a Security officer activated.
        var keySets = (await db.IssuerKeySets.AsNoTracking().ToListAsync(cancellationToken))
            .Where(k => Authentic(k, authenticator, rejected)).ToList();
        var keks = (await db.Keks.AsNoTracking().Where(k => k.State == KekState.Active).ToListAsync(cancellationToken))
            .Where(k => Authentic(k, authenticator, rejected)).ToList();

        var issuers = tsms.Values.ToDictionary(
            t => t.Id, t => t.Scope.Where(s => Authentic(s, authenticator, rejected)).Select(s => s.Iin).ToFrozenSet(StringComparer.Ordinal));
        var callers = new Dictionary<string, Caller>(StringComparer.Ordinal);
        foreach (var certificate in certificates)
        {
            if (tsms.TryGetValue(certificate.TsmId, out var tsm))
            {
                callers[certificate.Sha256Thumbprint.ToUpperInvariant()] = new Caller(certificate, tsm, issuers[tsm.Id]);
            }
        }

        var activeKeks = new Dictionary<(Guid, int), Kek>();
        foreach (var kek in keks)
        {
            activeKeks.TryAdd((kek.TsmId, kek.Index), kek);
        }

        return new Snapshot(
            version,
            callers.ToFrozenDictionary(StringComparer.Ordinal),
            keySets.GroupBy(k => k.Iin, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<IssuerKeySet>)g.ToList(), StringComparer.Ordinal),
            activeKeks.ToFrozenDictionary());
    }

    private static bool Authentic(IAuthenticatedRecord record, RecordAuthenticator authenticator, List<IAuthenticatedRecord> rejected)
    {
        if (authenticator.IsAuthentic(record))
        {
            return true;
        }

        rejected.Add(record);
        return false;
    }

    /// <summary>A TSM certificate with its TSM and the issuers (IIN) the TSM may ask keys for.</summary>
    /// <param name="Certificate">The certificate the caller presented.</param>
    /// <param name="Tsm">Its TSM (read-only: not tracked).</param>
    /// <param name="Issuers">The TSM's issuer scope.</param>
    public sealed record Caller(TsmCertificate Certificate, Tsm Tsm, FrozenSet<string> Issuers);

    /// <summary>One consistent copy of the directory, filed under the database version it was read at. Read-only.</summary>
    public sealed class Snapshot
    {
        private readonly FrozenDictionary<string, Caller> _callers;
        private readonly FrozenDictionary<string, IReadOnlyList<IssuerKeySet>> _keySets;
        private readonly FrozenDictionary<(Guid, int), Kek> _keks;

        internal Snapshot(
            long version,
            FrozenDictionary<string, Caller> callers,
            FrozenDictionary<string, IReadOnlyList<IssuerKeySet>> keySets,
            FrozenDictionary<(Guid, int), Kek> keks)
        {
            Version = version;
            _callers = callers;
            _keySets = keySets;
            _keks = keks;
        }

        /// <summary>The access records, issuer key sets and KEKs left out of this copy because their MAC does not match.</summary>
        public IReadOnlyList<RejectedRecord> Rejected { get; internal set; } = [];

        /// <summary>The <see cref="DirectoryVersion.Version"/> this copy was read at.</summary>
        public long Version { get; }

        /// <summary>The certificate with this SHA-256 thumbprint (hex, either case) and its TSM; null when no TSM holds it.</summary>
        public Caller? FindCaller(string? sha256Thumbprint) =>
            sha256Thumbprint is { Length: 64 } && _callers.TryGetValue(sha256Thumbprint.ToUpperInvariant(), out var caller) ? caller : null;

        /// <summary>Every key set of an issuer, in any state (empty when the issuer is unknown).</summary>
        public IReadOnlyList<IssuerKeySet> KeySetsOf(string iin) => _keySets.TryGetValue(iin, out var sets) ? sets : [];

        /// <summary>The TSM's active KEK with this index; null when it has none.</summary>
        public Kek? ActiveKek(Guid tsmId, int index) => _keks.TryGetValue((tsmId, index), out var kek) ? kek : null;

        /// <summary>The TR-31 wrappers of this copy's KEKs, kept between requests while this copy is current.</summary>
        internal KekWrappers Wrappers { get; } = new();
    }
}
