using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Integrity;

/// <summary>A stored key whose envelope does not open for its record: altered attributes, copied or re-pointed.</summary>
/// <param name="Description">Which record (IIN and KVN, or KEK index and TSM); never key material.</param>
/// <param name="Problem">Why it does not open.</param>
public sealed record DamagedKey(string Description, string Problem);

/// <summary>The outcome of <see cref="StoredKeyCheck.RunAsync"/>.</summary>
/// <param name="Checked">How many stored keys were opened (issuer key sets and KEKs).</param>
/// <param name="Damaged">Those that did not open, issuer key sets first.</param>
public sealed record StoredKeyReport(int Checked, IReadOnlyList<DamagedKey> Damaged);

/// <summary>
/// Opens every stored issuer master key and KEK with its record's attributes and reports those that do not open
/// (each raised once through <see cref="IntegrityAlarm"/>: Critical log, audit record). The keys opened are cleared at
/// once. For the portal's integrity page and operators; a key request finds the same damage when it uses the key.
/// </summary>
public sealed class StoredKeyCheck(IDbContextFactory<TtpDbContext> factory, KeyVault vault, IntegrityAlarm alarm)
{
    /// <summary>Opens every stored key with its record's attributes; reports and raises those that do not open.</summary>
    /// <exception cref="LmkUnavailableException">The LMK (file or HSM) cannot be used: nothing can be checked.</exception>
    public async Task<StoredKeyReport> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var sets = await db.IssuerKeySets.AsNoTracking().OrderBy(s => s.Iin).ThenBy(s => s.Kvn).ToListAsync(cancellationToken);
        var keks = await db.Keks.AsNoTracking().ToListAsync(cancellationToken);
        var tsmNames = await db.Tsms.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        var damaged = new List<DamagedKey>();
        foreach (var set in sets)
        {
            await CheckAsync(set.EnvelopeContext, set.Envelope, $"issuer key set IIN {set.Iin} KVN {set.Kvn}", damaged, cancellationToken);
        }

        foreach (var kek in keks.OrderBy(k => tsmNames.GetValueOrDefault(k.TsmId), StringComparer.Ordinal).ThenBy(k => k.Index))
        {
            var owner = tsmNames.TryGetValue(kek.TsmId, out var name) ? $"TSM {name}" : $"unknown TSM {kek.TsmId:D}";
            await CheckAsync(kek.EnvelopeContext, kek.Envelope, $"KEK {kek.Index} of {owner}", damaged, cancellationToken);
        }

        return new StoredKeyReport(sets.Count + keks.Count, damaged);
    }

    /// <summary>
    /// Opens one issuer key set's master key with its record's attributes: null when it opens, else what is damaged
    /// (raised like <see cref="RunAsync"/> does). For the key set's page.
    /// </summary>
    /// <exception cref="LmkUnavailableException">The LMK (file or HSM) cannot be used: nothing can be checked.</exception>
    public async Task<DamagedKey?> CheckAsync(IssuerKeys.IssuerKeySet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var damaged = new List<DamagedKey>();
        await CheckAsync(set.EnvelopeContext, set.Envelope, $"issuer key set IIN {set.Iin} KVN {set.Kvn}", damaged, cancellationToken);
        return damaged.Count == 0 ? null : damaged[0];
    }

    private async Task CheckAsync(EnvelopeContext context, KeyEnvelope envelope, string description, List<DamagedKey> damaged, CancellationToken cancellationToken)
    {
        try
        {
            using var key = vault.Open(context, envelope);
        }
        catch (IntegrityException e)
        {
            damaged.Add(new DamagedKey(description, e.Message));
            await alarm.StoredKeyDamagedAsync(description, Digest(context, envelope), e.Message, cancellationToken);
        }
    }

    private static string Digest(EnvelopeContext context, KeyEnvelope envelope)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(context.ToString() + "|" + context.Attributes));
        hash.AppendData(BitConverter.GetBytes(envelope.FormatVersion));
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(envelope.LmkId));
        hash.AppendData(envelope.WrappedDataKey);
        hash.AppendData(envelope.Payload);
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
