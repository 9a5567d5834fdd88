using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tsms;
using Fields = Ttp.Domain.KeyRequests.ValidatedKeyRequest.Fields;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// The use case behind <c>WSGetDiversifiedKeys</c> (docs/DESIGN.md section 5): validate, identify the TSM by its certificate,
/// check scope, derive the card's three static keys from the issuer master key, wrap them under the TSM's KEK, audit
/// (write-ahead), answer.
/// </summary>
/// <remarks>
/// <para>Order of the checks: request data (<see cref="KeyDistributionFaultCode.InvalidRequest"/>); caller
/// (<see cref="KeyDistributionFaultCode.NotAccredited"/>: unknown, retired or expired certificate, TSM not Active); rate
/// limit (<see cref="KeyDistributionFaultCode.RateLimited"/>); scope (<see cref="KeyDistributionFaultCode.ScopeDenied"/>);
/// issuer and key set (<see cref="KeyDistributionFaultCode.UnknownIssuer"/>, <see cref="KeyDistributionFaultCode.UnknownKeySet"/>);
/// E0 against the key set (<see cref="KeyDistributionFaultCode.InvalidRequest"/>); KEK
/// (<see cref="KeyDistributionFaultCode.UnknownKek"/>, <see cref="KeyDistributionFaultCode.WeakKek"/>).</para>
/// <para>Bounded refusals: every request of an identified TSM (the one its certificate names: for an invalid or
/// unreadable request, a pinned certificate) takes a token from its bucket (<see cref="TsmRateLimiter"/>) before anything
/// is audited, refusals included. Within the rate a request is processed, or refused and audited, one record each; beyond
/// it the request is answered at once, without an audit record of its own, with the refusal already known
/// (<see cref="KeyDistributionFaultCode.InvalidRequest"/>, <see cref="KeyDistributionFaultCode.NotAccredited"/>) or else
/// <see cref="KeyDistributionFaultCode.RateLimited"/>, and counted into the TSM's summary record of that second
/// (<see cref="KeyRequestRefusalSummaries"/>). So no TSM, suspended or sending garbage, appends more than its rate plus
/// one summary per second.</para>
/// <para>Audit: a delivery is answered only after its record is durably committed through <see cref="AuditWriter"/>;
/// every refusal of an identified TSM within its rate is audited too (an <see cref="KeyDistributionFaultCode.InvalidRequest"/> when the
/// certificate is pinned, see <see cref="AccreditedCertificates"/>); when that record cannot be written the answer is
/// <see cref="KeyDistributionFaultCode.ServiceUnavailable"/>. A certificate no TSM holds is refused without a record
/// (there is no actor to record) but logged.</para>
/// <para>TR-31 blocks: version D under an AES KEK, B under a TDES KEK; usage D0 (ENC), M3 (SCP02 MAC) or M6 (SCP03
/// MAC), K0 (DEK); algorithm T or A; mode B, or C for the MAC key; key version = KVN in two hex digits;
/// exportability <c>E</c> (docs/DESIGN.md does not say: the TSM must be able to pass the key on to the card, under the
/// card's own key, which is what E allows); optional blocks KC, KP and TS. GP format: a TDES KEK encrypts with
/// 3DES-ECB, an AES KEK with AES-CBC and a zero ICV (the SCP02 keys under an AES KEK included: one AES block each);
/// AES-192 keys (24 bytes, not whole AES blocks) cannot be sent in GP format and are refused.</para>
/// </remarks>
public sealed class KeyRequestService(
    KeyRequestDirectory directory,
    KeyVault vault,
    AuditWriter audit,
    TsmRateLimiter rateLimiter,
    KeyRequestRefusalSummaries refusals,
    IOptions<KeyRequestOptions> options,
    TimeProvider time,
    ILogger<KeyRequestService> logger)
{
    private const int DesKeyType = 0x80;
    private const int AesKeyType = 0x88;
    private const int ScpKeyLength02 = 16;

    /// <summary>
    /// Validates the request, checks the calling TSM (by certificate) and its scope, derives the card's keys, wraps them
    /// under the TSM's KEK, writes the durable audit record, and answers; or throws
    /// <see cref="KeyRequestRefusedException"/> with the fault code (the refusal audited too when the caller is a TSM).
    /// </summary>
    /// <exception cref="KeyRequestRefusedException">The request is refused; <see cref="KeyRequestRefusedException.Code"/> says why.</exception>
    public async Task<KeyRequestResult> GetDiversifiedKeysAsync(KeyRequest request, KeyRequestCaller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        var trace = new KeyRequestTrace(Guid.NewGuid(), caller);
        var started = time.GetTimestamp();
        try
        {
            return await ProcessAsync(request, trace, started, cancellationToken);
        }
        catch (KeyRequestRefusedException)
        {
            throw;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            if (e is IntegrityException integrity)
            {
                // A stored key that does not open (altered, re-pointed, copied): no key leaves; the record is named.
                trace.IntegrityFailure = integrity.Message;
                KeyRequestLog.IntegrityFailure(logger, trace.RequestId, integrity.Message);
            }
            else
            {
                KeyRequestLog.Unavailable(logger, trace.RequestId, e);
            }

            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.ServiceUnavailable,
                "the key server cannot serve key requests now (database, key store or audit trail unavailable); no key was released; try again later",
                audited: trace.Tsm is not null, cancellationToken);
        }
    }

    /// <summary>
    /// Refuses a request the edge could not read (not XML, a DOCTYPE, a value of the wrong type, too large, empty) as
    /// <see cref="KeyDistributionFaultCode.InvalidRequest"/>, audited like every other refusal when the caller's
    /// certificate is pinned to a TSM, within its rate (beyond it: counted into the TSM's summary, see the class remarks).
    /// Returns the refusal to answer with (ServiceUnavailable when the audit trail or the database is down).
    /// </summary>
    public async Task<KeyRequestRefusedException> RefuseUnreadableAsync(KeyRequestCaller caller, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var trace = new KeyRequestTrace(Guid.NewGuid(), caller);
        var started = time.GetTimestamp();
        try
        {
            var snapshot = await directory.CurrentAsync(cancellationToken);
            var known = snapshot.FindCaller(caller.CertificateSha256Thumbprint);
            return known is not null && IdentifyPinned(trace, known, time.GetUtcNow())
                ? await RefuseWithinRateAsync(trace, started, known.Tsm, KeyDistributionFaultCode.InvalidRequest, message, cancellationToken)
                : await RefuseAsync(trace, started, KeyDistributionFaultCode.InvalidRequest, message, audited: false, cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            KeyRequestLog.Unavailable(logger, trace.RequestId, e);
            return new KeyRequestRefusedException(KeyDistributionFaultCode.ServiceUnavailable,
                "the key server cannot serve key requests now (database, key store or audit trail unavailable); no key was released; try again later",
                trace.RequestId);
        }
    }

    /// <summary>The effective strength in bits of a KEK (NIST SP 800-57 part 1: 2-key TDES 80, 3-key TDES 112, AES its length).</summary>
    public static int StrengthOf(KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => 80,
        KekAlgorithm.Tdes3 => 112,
        KekAlgorithm.Aes128 => 128,
        KekAlgorithm.Aes192 => 192,
        KekAlgorithm.Aes256 => 256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown KEK algorithm."),
    };

    /// <summary>The effective strength in bits of a key set's card keys: SCP02 (2-key TDES) 80, SCP03 the AES key length.</summary>
    public static int StrengthOf(SecureChannelScheme scheme, int keyLength) => scheme switch
    {
        SecureChannelScheme.Scp02 => 80,
        SecureChannelScheme.Scp03 => keyLength * 8,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown secure channel scheme."),
    };

    private async Task<KeyRequestResult> ProcessAsync(KeyRequest request, KeyRequestTrace trace, long started, CancellationToken cancellationToken)
    {
        string? invalid = null;
        ValidatedKeyRequest? valid = null;
        try
        {
            valid = ValidatedKeyRequest.Parse(request, options.Value.PublicUrl, trace);
        }
        catch (CryptoInputException e)
        {
            invalid = e.Message;
        }

        var now = time.GetUtcNow();
        var snapshot = await directory.CurrentAsync(cancellationToken);
        var caller = snapshot.FindCaller(trace.Caller.CertificateSha256Thumbprint);

        if (invalid is not null || valid is null)
        {
            invalid ??= "the request is not valid";
            throw caller is not null && IdentifyPinned(trace, caller, now)
                ? await RefuseWithinRateAsync(trace, started, caller.Tsm, KeyDistributionFaultCode.InvalidRequest, invalid, cancellationToken)
                : await RefuseAsync(trace, started, KeyDistributionFaultCode.InvalidRequest, invalid, audited: false, cancellationToken);
        }

        if (caller is null)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.NotAccredited,
                "the client certificate is not registered to any TSM of this key server", audited: false, cancellationToken);
        }

        var (certificate, tsm) = (caller.Certificate, caller.Tsm);
        trace.Tsm = tsm.Name;
        if (NotAccredited(tsm, certificate, trace.Caller, now) is { } why)
        {
            throw await RefuseWithinRateAsync(trace, started, tsm, KeyDistributionFaultCode.NotAccredited, why, cancellationToken);
        }

        if (!rateLimiter.TryAcquire(tsm.Id, tsm.RateLimitPerSecond))
        {
            throw RefuseBeyondRate(trace, tsm.Name, KeyDistributionFaultCode.RateLimited,
                $"TSM '{tsm.Name}' sends key requests faster than its rate limit; slow down and retry");
        }

        if (!caller.Issuers.Contains(valid.Iin))
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.ScopeDenied,
                $"{Fields.Iin}: TSM '{tsm.Name}' is not accredited for issuer {valid.Iin}", audited: true, cancellationToken);
        }

        var sets = snapshot.KeySetsOf(valid.Iin);
        if (sets.Count == 0)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.UnknownIssuer,
                $"{Fields.Iin}: this key server holds no key set for issuer {valid.Iin}", audited: true, cancellationToken);
        }

        var set = sets.FirstOrDefault(k => k.Kvn == valid.Kvn && k.State == IssuerKeySetState.Active);
        if (set is null)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.UnknownKeySet,
                $"{Fields.Kvn}: issuer {valid.Iin} has no active key set with key version number {valid.Kvn}", audited: true, cancellationToken);
        }

        trace.Scheme = SchemeName(set.Scheme);
        trace.Method = set.Method.ToString();
        if (TemplateMismatch(valid, set) is { } mismatch)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.InvalidRequest, mismatch, audited: true, cancellationToken);
        }

        var kek = snapshot.ActiveKek(tsm.Id, valid.KekIndex);
        if (kek is null)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.UnknownKek,
                $"{Fields.KekIndex}: TSM '{tsm.Name}' has no active KEK with index {valid.KekIndex}", audited: true, cancellationToken);
        }

        trace.KekCheckValue = kek.KeyCheckValue;
        trace.Format = FormatName(kek.Format);
        var kekStrength = StrengthOf(kek.Algorithm);
        var keyStrength = StrengthOf(set.Scheme, set.KeyLength);
        if (kekStrength < keyStrength)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.WeakKek,
                $"{Fields.KekIndex}: KEK {kek.Index} ({kek.Algorithm}, {kekStrength}-bit strength) is weaker than the card keys ({trace.Scheme} {set.KeyLength * 8}-bit keys, {keyStrength}-bit strength); use a KEK at least as strong",
                audited: true, cancellationToken);
        }

        if (kek.Format == KekFormat.GpEncrypted && Kek.IsAes(kek.Algorithm) && set.KeyLength % 16 != 0)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.InvalidRequest,
                $"{Fields.KekIndex}: KEK {kek.Index} delivers in GP format, which cannot carry {set.KeyLength}-byte AES keys (not whole AES blocks); use a TR-31 KEK",
                audited: true, cancellationToken);
        }

        var keys = Deliver(set, kek, valid);
        trace.CheckValues = keys.Select(k => k.CheckValue).ToArray();
        try
        {
            await audit.AppendAsync(
                AuditRecord.KeyRequest(Actor.Tsm(tsm.Name), trace.Subject, AuditRecord.OutcomeOk, trace.Details(AuditRecord.OutcomeOk, null, Microseconds(started))),
                cancellationToken);
        }
        catch (AuditUnavailableException e)
        {
            KeyRequestLog.Unavailable(logger, trace.RequestId, e);
            throw new KeyRequestRefusedException(KeyDistributionFaultCode.ServiceUnavailable,
                "the key request could not be recorded in the audit trail, so no key was released; try again later", trace.RequestId);
        }

        return new KeyRequestResult(trace.RequestId, trace.Scheme, set.Kvn, trace.Method, kek.Index, kek.KeyCheckValue, trace.Format, keys);
    }

    private System.Collections.ObjectModel.ReadOnlyCollection<DeliveredKey> Deliver(IssuerKeySet set, Kek kek, ValidatedKeyRequest valid)
    {
        var aesKeys = set.Scheme == SecureChannelScheme.Scp03;
        var aesKek = Kek.IsAes(kek.Algorithm);
        var algorithm = aesKeys ? "AES" : "TDES";
        using var master = vault.Open(set.EnvelopeContext, set.Envelope);
        using var kekKey = vault.Open(kek.EnvelopeContext, kek.Envelope);
        using var derived = KeyDiversification.DeriveAll(set.Method, master.Bytes, valid.KddBytes);
        (string Usage, int Id, byte[] Key)[] card = [("ENC", 1, derived.Enc), ("MAC", 2, derived.Mac), ("DEK", 3, derived.Dek)];
        var delivered = new List<DeliveredKey>(3);
        if (kek.Format == KekFormat.Tr31)
        {
            using var wrapper = Tr31KeyBlock.CreateWrapper(kekKey.Bytes, aesKek ? 'D' : 'B');
            var kp = Tr31OptionalBlock.KbpkCheckValueOf(kekKey.Bytes, aesKek);
            var ts = Tr31OptionalBlock.TimeStamp(time.GetUtcNow());
            foreach (var (usage, id, key) in card)
            {
                var header = new Tr31Header
                {
                    Version = wrapper.Version,
                    KeyUsage = usage switch { "ENC" => "D0", "MAC" => aesKeys ? "M6" : "M3", _ => "K0" },
                    Algorithm = aesKeys ? 'A' : 'T',
                    ModeOfUse = usage == "MAC" ? 'C' : 'B',
                    KeyVersionNumber = set.Kvn.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
                    Exportability = 'E',
                    OptionalBlocks = [Tr31OptionalBlock.KeyCheckValueOf(key, aesKeys), kp, ts],
                };
                delivered.Add(new DeliveredKey(usage, id, algorithm, key.Length, wrapper.Wrap(header, key), null, CheckValue(set.Scheme, key)));
            }
        }
        else
        {
            foreach (var (usage, id, key) in card)
            {
                var cryptogram = aesKek ? GpKeyEncryption.EncryptAes(kekKey.Bytes, key) : GpKeyEncryption.EncryptTdes(kekKey.Bytes, key);
                delivered.Add(new DeliveredKey(usage, id, algorithm, key.Length, null, Hex.Encode(cryptogram), CheckValue(set.Scheme, key)));
            }
        }

        return delivered.AsReadOnly();
    }

    private static string CheckValue(SecureChannelScheme scheme, byte[] key) => Hex.Encode(IssuerKeyService.CheckValue(scheme, key));

    private static string? NotAccredited(Tsm tsm, TsmCertificate certificate, KeyRequestCaller caller, DateTimeOffset now)
    {
        if (certificate.IsRetired(now))
        {
            return $"the client certificate of TSM '{tsm.Name}' was retired on {certificate.RetiredAt:u}; use its current certificate";
        }

        if (now < certificate.NotBefore)
        {
            return $"the client certificate of TSM '{tsm.Name}' is not valid before {certificate.NotBefore:u}";
        }

        if (now > certificate.NotAfter || now > caller.CertificateNotAfter)
        {
            return $"the client certificate of TSM '{tsm.Name}' expired on {(certificate.NotAfter < caller.CertificateNotAfter ? certificate.NotAfter : caller.CertificateNotAfter):u}";
        }

        return tsm.State == TsmState.Active ? null : $"TSM '{tsm.Name}' is {tsm.State}, not accredited to receive keys";
    }

    // E0 as read from the card must describe the key set this server holds: DES 16-byte keys for SCP02, AES keys of the
    // key set's length for SCP03 (docs/GLOBALPLATFORM.md; GlobalPlatform Card Specification 2.3.1, 11.1.8 and 11.3.3.1).
    private static string? TemplateMismatch(ValidatedKeyRequest valid, IssuerKeySet set)
    {
        var (type, length, name) = set.Scheme == SecureChannelScheme.Scp02
            ? (DesKeyType, ScpKeyLength02, "DES (80)")
            : (AesKeyType, set.KeyLength, "AES (88)");
        foreach (var key in valid.Keys)
        {
            var keyType = key.KeyType > 0xFF && (key.KeyType >> 8) == 0xFF ? key.KeyType & 0xFF : key.KeyType;
            if (keyType != type || key.KeyLength != length)
            {
                return $"{Fields.E0}: key {key.KeyId:X2} of key version number {valid.Kvn} is of type {key.KeyType:X2} and {key.KeyLength} bytes; " +
                    $"issuer {set.Iin}'s key set {set.Kvn} is {SchemeName(set.Scheme)}: expected type {name} and {length} bytes";
            }
        }

        return null;
    }

    // Names the TSM in the trace when the caller's certificate is pinned (so that the refusal of an unreadable or invalid
    // request is audited under it); an unpinned caller could not have completed the handshake.
    private static bool IdentifyPinned(KeyRequestTrace trace, KeyRequestDirectory.Caller? caller, DateTimeOffset now)
    {
        if (caller is null || !AccreditedCertificates.Pins(caller.Tsm.State, caller.Certificate, now))
        {
            return false;
        }

        trace.Tsm = caller.Tsm.Name;
        return true;
    }

    // A refusal of an identified TSM known before its rate limit is consulted (invalid or unreadable request, not
    // accredited) takes a token all the same: within the rate it is audited like every refusal, beyond it only counted.
    private async Task<KeyRequestRefusedException> RefuseWithinRateAsync(
        KeyRequestTrace trace, long started, Tsm tsm, KeyDistributionFaultCode code, string message, CancellationToken cancellationToken) =>
        rateLimiter.TryAcquire(tsm.Id, tsm.RateLimitPerSecond)
            ? await RefuseAsync(trace, started, code, message, audited: true, cancellationToken)
            : RefuseBeyondRate(trace, tsm.Name, code, message);

    // Beyond the rate: answered with its code, counted into the TSM's summary record of the second, no record of its own.
    private KeyRequestRefusedException RefuseBeyondRate(KeyRequestTrace trace, string tsm, KeyDistributionFaultCode code, string message)
    {
        KeyRequestLog.RefusedBeyondRate(logger, trace.RequestId, code, tsm);
        refusals.Count(tsm, code);
        return new KeyRequestRefusedException(code, message, trace.RequestId);
    }

    private async Task<KeyRequestRefusedException> RefuseAsync(
        KeyRequestTrace trace, long started, KeyDistributionFaultCode code, string message, bool audited, CancellationToken cancellationToken)
    {
        KeyRequestLog.Refused(logger, trace.RequestId, code, trace.Tsm ?? "unidentified");
        if (audited && trace.Tsm is not null)
        {
            try
            {
                var outcome = code.ToString();
                await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(trace.Tsm), trace.Subject, outcome, trace.Details(outcome, message, Microseconds(started))), cancellationToken);
            }
            catch (AuditUnavailableException e)
            {
                KeyRequestLog.RefusalAuditFailed(logger, trace.RequestId, code, e);
                return new KeyRequestRefusedException(KeyDistributionFaultCode.ServiceUnavailable,
                    "the key server cannot record the request in its audit trail now; no key was released; try again later", trace.RequestId);
            }
        }

        return new KeyRequestRefusedException(code, message, trace.RequestId);
    }

    private long Microseconds(long started) => time.GetElapsedTime(started).Ticks / TimeSpan.TicksPerMicrosecond;

    // A CryptoInputException here comes from stored data (request input is validated before any key is touched): a
    // damaged key is the key server's failure, not the caller's.
    private static bool IsUnavailable(Exception e) =>
        e is DbException or DbUpdateException or RetryLimitExceededException or TimeoutException
            or LmkUnavailableException or AuditUnavailableException or IntegrityException or CryptoInputException
        || (e is InvalidOperationException && e.InnerException is DbException);

    private static string SchemeName(SecureChannelScheme scheme) => scheme switch
    {
        SecureChannelScheme.Scp02 => "SCP02",
        SecureChannelScheme.Scp03 => "SCP03",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown secure channel scheme."),
    };

    private static string FormatName(KekFormat format) => format switch
    {
        KekFormat.Tr31 => "TR31",
        KekFormat.GpEncrypted => "GP",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown KEK format."),
    };
}
