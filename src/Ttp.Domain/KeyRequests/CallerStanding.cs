using Ttp.Domain.Tsms;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// How far a client certificate stands with this key server at one moment (docs/DESIGN.md section 5): the one rule the
/// TLS handshake (<see cref="AccreditedCertificates"/>) and the key request (<see cref="KeyRequestService"/>) both judge
/// by.
/// </summary>
public enum CallerStandingLevel
{
    /// <summary>No TSM holds the certificate: nobody to name or audit.</summary>
    Unknown = 0,

    /// <summary>
    /// A TSM holds the certificate, but it does not pin now: the certificate is retired, not yet valid or expired, or the
    /// TSM is pending approval, rejected or revoked. The handshake refuses it; a request on a connection opened before
    /// is refused <see cref="KeyDistributionFaultCode.NotAccredited"/> under the TSM's name.
    /// </summary>
    Identified = 1,

    /// <summary>
    /// The certificate is current and its TSM active or suspended: the handshake completes and every refusal is audited
    /// under the TSM. A suspended TSM stops here (so that it is told NotAccredited rather than cut off).
    /// </summary>
    Pinned = 2,

    /// <summary>Pinned and the TSM active: it may receive keys within its scope.</summary>
    Accredited = 3,
}

/// <summary>
/// The standing of a caller at one moment, computed once from the directory's certificate and TSM and from the presented
/// certificate's expiry: its <see cref="Level"/>, the TSM (when known) and why it is not accredited (when it is not).
/// </summary>
public readonly record struct CallerStanding
{
    private CallerStanding(CallerStandingLevel level, Tsm? tsm, string? whyNotAccredited)
    {
        Level = level;
        Tsm = tsm;
        WhyNotAccredited = whyNotAccredited;
    }

    /// <summary>How far the caller stands.</summary>
    public CallerStandingLevel Level { get; }

    /// <summary>The TSM holding the certificate; null when <see cref="CallerStandingLevel.Unknown"/>.</summary>
    public Tsm? Tsm { get; }

    /// <summary>Why the caller may not receive keys, as told to it; null when <see cref="IsAccredited"/>.</summary>
    public string? WhyNotAccredited { get; }

    /// <summary>Whether the certificate may complete the TLS handshake (and its refusals are audited under its TSM).</summary>
    public bool IsPinned => Level >= CallerStandingLevel.Pinned;

    /// <summary>Whether the caller may receive keys (scope, key sets and KEKs permitting).</summary>
    public bool IsAccredited => Level == CallerStandingLevel.Accredited;

    /// <summary>
    /// The standing at <paramref name="now"/> of the caller presenting a certificate that expires at
    /// <paramref name="presentedNotAfter"/> and that the directory found as <paramref name="caller"/> (null: no TSM holds it).
    /// </summary>
    /// <remarks>
    /// In order: retired (at or before <paramref name="now"/>), not yet valid, expired (the stored or the presented expiry,
    /// whichever is earlier), then the TSM's state: active is accredited, suspended is pinned only, any other state
    /// (pending approval, rejected, revoked) does not pin.
    /// </remarks>
    public static CallerStanding Of(KeyRequestDirectory.Caller? caller, DateTimeOffset presentedNotAfter, DateTimeOffset now) =>
        caller is null
            ? new CallerStanding(CallerStandingLevel.Unknown, null, "the client certificate is not registered to any TSM of this key server")
            : Of(caller.Tsm, caller.Certificate, presentedNotAfter, now);

    /// <summary>The standing at <paramref name="now"/> of <paramref name="certificate"/> of <paramref name="tsm"/>, presented with <paramref name="presentedNotAfter"/>.</summary>
    public static CallerStanding Of(Tsm tsm, TsmCertificate certificate, DateTimeOffset presentedNotAfter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tsm);
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.IsRetired(now))
        {
            return Identified(tsm, $"the client certificate of TSM '{tsm.Name}' was retired on {certificate.RetiredAt:u}; use its current certificate");
        }

        if (now < certificate.NotBefore)
        {
            return Identified(tsm, $"the client certificate of TSM '{tsm.Name}' is not valid before {certificate.NotBefore:u}");
        }

        if (now > certificate.NotAfter || now > presentedNotAfter)
        {
            return Identified(tsm, $"the client certificate of TSM '{tsm.Name}' expired on {(certificate.NotAfter < presentedNotAfter ? certificate.NotAfter : presentedNotAfter):u}");
        }

        return tsm.State switch
        {
            TsmState.Active => new CallerStanding(CallerStandingLevel.Accredited, tsm, null),
            TsmState.Suspended => new CallerStanding(CallerStandingLevel.Pinned, tsm, NotAccreditedState(tsm)),
            _ => Identified(tsm, NotAccreditedState(tsm)),
        };
    }

    private static CallerStanding Identified(Tsm tsm, string why) => new(CallerStandingLevel.Identified, tsm, why);

    private static string NotAccreditedState(Tsm tsm) => $"TSM '{tsm.Name}' is {tsm.State}, not accredited to receive keys";
}
