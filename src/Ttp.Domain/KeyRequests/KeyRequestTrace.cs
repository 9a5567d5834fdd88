namespace Ttp.Domain.KeyRequests;

/// <summary>
/// What is known of one key request as it is processed, for its audit record (docs/DESIGN.md section 6): the caller, the
/// request data that passed validation, and the check values of the delivered keys. Never a key or a key block.
/// </summary>
internal sealed class KeyRequestTrace(Guid requestId, KeyRequestCaller caller)
{
    public Guid RequestId { get; } = requestId;

    public KeyRequestCaller Caller { get; } = caller;

    /// <summary>The calling TSM's name once the certificate identified it.</summary>
    public string? Tsm { get; set; }

    /// <summary>The request values that passed validation (<see cref="ValidatedKeyRequest.Parse"/>).</summary>
    public KeyRequestFields Request { get; set; } = KeyRequestFields.None;

    public string? Scheme { get; set; }

    public string? Method { get; set; }

    public string? Format { get; set; }

    public string? KekCheckValue { get; set; }

    public IReadOnlyList<string>? CheckValues { get; set; }

    /// <summary>Why a stored key did not open (names the record, never key material); recorded, never told to the TSM.</summary>
    public string? IntegrityFailure { get; set; }

    /// <summary>The audit subject: the key set asked for (<c>issuer-key:IIN/KVN</c>), or the issuer, or nothing.</summary>
    public string Subject => Request.Iin is not { } iin ? string.Empty : Request.Kvn is { } kvn ? $"issuer-key:{iin}/{kvn}" : $"issuer:{iin}";

    /// <summary>The audit details: request metadata, outcome, check values, latency.</summary>
    public object Details(string outcome, string? message, long latencyMicroseconds) => new
    {
        RequestId,
        Tsm,
        CertificateThumbprint = Caller.CertificateSha256Thumbprint,
        Caller.RemoteAddress,
        Request.SecurityDomainManagerUrl,
        Request.Iin,
        Request.Kdd,
        Request.Cin,
        Request.SequenceCounter,
        Request.Kvn,
        Request.KekIndex,
        Outcome = outcome,
        Message = message,
        Scheme,
        Method,
        Format,
        KekCheckValue,
        CheckValues = CheckValues is null ? null : new { Enc = CheckValues[0], Mac = CheckValues[1], Dek = CheckValues[2] },
        LatencyMicroseconds = latencyMicroseconds,
        IntegrityFailure,
    };
}
