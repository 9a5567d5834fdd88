using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Metrics;
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
/// <para>The caller's standing is <see cref="CallerStanding"/>, the rule the TLS handshake judges by too. Derivation,
/// wrapping, check values and the TR-31 header policy are <see cref="KeyDelivery"/>'s.</para>
/// <para>Every answer is counted and timed in <see cref="TtpMetrics"/> (by TSM and outcome), and so is every refusal
/// beyond the rate and every stored key that does not open.</para>
/// </remarks>
public sealed class KeyRequestService(
    KeyRequestDirectory directory,
    KeyVault vault,
    AuditWriter audit,
    TsmRateLimiter rateLimiter,
    KeyRequestRefusalSummaries refusals,
    IOptions<KeyRequestOptions> options,
    TtpMetrics metrics,
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
        var trace = new KeyRequestTrace(NewRequestId(), caller);
        var started = time.GetTimestamp();
        try
        {
            var result = await AnswerAsync(request, trace, started, cancellationToken);
            metrics.KeyRequestAnswered(trace.Tsm, null, time.GetElapsedTime(started));
            return result;
        }
        catch (KeyRequestRefusedException refused)
        {
            metrics.KeyRequestAnswered(trace.Tsm, refused.Code, time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<KeyRequestResult> AnswerAsync(KeyRequest request, KeyRequestTrace trace, long started, CancellationToken cancellationToken)
    {
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
                metrics.IntegrityFailure();
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
        var trace = new KeyRequestTrace(NewRequestId(), caller);
        var started = time.GetTimestamp();
        var refusal = await RefuseUnreadableAsync(trace, started, message, cancellationToken);
        metrics.KeyRequestAnswered(trace.Tsm, refusal.Code, time.GetElapsedTime(started));
        return refusal;
    }

    private async Task<KeyRequestRefusedException> RefuseUnreadableAsync(KeyRequestTrace trace, long started, string message, CancellationToken cancellationToken)
    {
        var caller = trace.Caller;
        try
        {
            var snapshot = await directory.CurrentAsync(cancellationToken);
            var known = snapshot.FindCaller(caller.CertificateSha256Thumbprint);
            return known is not null && IdentifyPinned(trace, CallerStanding.Of(known, caller.CertificateNotAfter, time.GetUtcNow()))
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

    private async Task<KeyRequestResult> ProcessAsync(KeyRequest request, KeyRequestTrace trace, long started, CancellationToken cancellationToken)
    {
        var validation = ValidatedKeyRequest.Parse(request, options.Value.PublicUrl);
        trace.Request = validation.Accepted;
        var invalid = validation.Failure?.Message;
        var valid = validation.Valid;

        var now = time.GetUtcNow();
        var snapshot = await directory.CurrentAsync(cancellationToken);
        var caller = snapshot.FindCaller(trace.Caller.CertificateSha256Thumbprint);
        var standing = CallerStanding.Of(caller, trace.Caller.CertificateNotAfter, now);

        if (invalid is not null || valid is null)
        {
            invalid ??= "the request is not valid";
            throw caller is not null && IdentifyPinned(trace, standing)
                ? await RefuseWithinRateAsync(trace, started, caller.Tsm, KeyDistributionFaultCode.InvalidRequest, invalid, cancellationToken)
                : await RefuseAsync(trace, started, KeyDistributionFaultCode.InvalidRequest, invalid, audited: false, cancellationToken);
        }

        if (caller is null)
        {
            throw await RefuseAsync(trace, started, KeyDistributionFaultCode.NotAccredited,
                "the client certificate is not registered to any TSM of this key server", audited: false, cancellationToken);
        }

        var tsm = caller.Tsm;
        trace.Tsm = tsm.Name;
        if (standing.WhyNotAccredited is { } why)
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

        trace.Scheme = set.Scheme.Name();
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
        var kekStrength = kek.Strength;
        var keyStrength = set.Strength;
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

        var keys = KeyDelivery.Deliver(vault, set, kek, snapshot.Wrappers, valid.KddBytes, time.GetUtcNow());
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

    // A request's id is a version 7 UUID (RFC 9562: the time in milliseconds, then 74 random bits), so that the ids of
    // successive requests sort by time: the search index on the request id then grows at its end, like the others,
    // instead of taking a random page of the index per request (docs/PERFORMANCE.md). The id is a reference, not a secret.
    private Guid NewRequestId() => Guid.CreateVersion7(time.GetUtcNow());

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
                    $"issuer {set.Iin}'s key set {set.Kvn} is {set.Scheme.Name()}: expected type {name} and {length} bytes";
            }
        }

        return null;
    }

    // Names the TSM in the trace when the caller's certificate is pinned (so that the refusal of an unreadable or invalid
    // request is audited under it); an unpinned caller could not have completed the handshake.
    private static bool IdentifyPinned(KeyRequestTrace trace, CallerStanding standing)
    {
        if (!standing.IsPinned)
        {
            return false;
        }

        trace.Tsm = standing.Tsm!.Name;
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
        metrics.RateLimited(tsm);
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

    private static string FormatName(KekFormat format) => format switch
    {
        KekFormat.Tr31 => "TR31",
        KekFormat.GpEncrypted => "GP",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown KEK format."),
    };
}
