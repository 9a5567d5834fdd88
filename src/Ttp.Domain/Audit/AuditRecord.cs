using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ttp.Domain.Audit;

/// <summary>
/// What a caller appends to the audit chain; <see cref="AuditLedger"/> assigns its sequence and hash. Validated on
/// construction, so that one bad record never fails a whole group commit of other callers.
/// </summary>
/// <remarks>
/// <b>No secret in a record.</b> <see cref="Details"/> holds ids, names, check values, certificate thumbprints and request
/// metadata (IIN, KDD, CIN, KVN, KEK index, remote address, latency): never a key, a key component, a key block, a
/// cryptogram, a password, a TOTP secret or a session cookie. The chain is read by auditors and exported to files.
/// </remarks>
public sealed class AuditRecord
{
    /// <summary>The outcome of an action that succeeded.</summary>
    public const string OutcomeOk = "ok";

    /// <summary>The action of every key-request record.</summary>
    public const string KeyRequestAction = "key-request";

    /// <summary>
    /// The action of a summary of one TSM's key requests refused beyond its rate limit (one record per TSM per second,
    /// key-request stream, outcome <see cref="OutcomeRefused"/>; details <c>tsm</c>, <c>from</c>, <c>to</c>,
    /// <c>refused</c> and <c>codes</c>, the count per fault code). Not a key request: the readers of key requests select
    /// <see cref="KeyRequestAction"/>.
    /// </summary>
    public const string RefusalsSummarisedAction = "key-request.refusals-summarised";

    /// <summary>The outcome of a <see cref="RefusalsSummarisedAction"/> record: every request it counts was refused.</summary>
    public const string OutcomeRefused = "refused";

    /// <summary>Longest <see cref="Action"/>, in UTF-16 code units (the column holds 64 characters).</summary>
    public const int MaxActionLength = 64;

    /// <summary>Longest <see cref="Actor"/>.</summary>
    public const int MaxActorLength = 200;

    /// <summary>Longest <see cref="Subject"/>.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>Longest <see cref="Outcome"/>.</summary>
    public const int MaxOutcomeLength = 64;

    /// <summary>Longest <see cref="Details"/> JSON text.</summary>
    public const int MaxDetailsLength = 65536;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// A record with details given as a prepared JSON object text (stored and hashed exactly as given).
    /// </summary>
    /// <param name="stream">Staff action or key request.</param>
    /// <param name="action">What happened, e.g. <c>tsm.approved</c>; 1 to 64 characters, no control character.</param>
    /// <param name="actor">Who did it (<see cref="Ttp.Domain.Actor.Id"/>); 1 to 200 characters.</param>
    /// <param name="subject">What it was done to, e.g. <c>tsm:acme</c>; up to 200 characters, may be empty.</param>
    /// <param name="outcome"><see cref="OutcomeOk"/> or a refusal/fault code; 1 to 64 characters.</param>
    /// <param name="detailsJson">A JSON object on one line (no raw control character), at most
    /// <see cref="MaxDetailsLength"/> characters; never a secret.</param>
    /// <param name="occurredAt">When it happened; null: when it is appended. Truncated to microseconds, in UTC.</param>
    /// <exception cref="ArgumentException">A field is empty, too long, holds a control character or is not
    /// well-formed text, or <paramref name="detailsJson"/> is not a JSON object.</exception>
    public AuditRecord(
        AuditStream stream,
        string action,
        string actor,
        string subject,
        string outcome,
        string detailsJson,
        DateTimeOffset? occurredAt = null)
        : this(RequireJsonObject(detailsJson, nameof(detailsJson)), stream, action, actor, subject, outcome, occurredAt)
    {
    }

    // checkedDetails is known to be one-line JSON object text: validated by RequireJsonObject, or written by our serializer.
    private AuditRecord(
        string checkedDetails,
        AuditStream stream,
        string action,
        string actor,
        string subject,
        string outcome,
        DateTimeOffset? occurredAt)
    {
        if (!Enum.IsDefined(stream))
        {
            throw new ArgumentOutOfRangeException(nameof(stream), stream, "Unknown audit stream.");
        }

        Stream = stream;
        Action = RequireText(action, MaxActionLength, allowEmpty: false, nameof(action));
        Actor = RequireText(actor, MaxActorLength, allowEmpty: false, nameof(actor));
        Subject = RequireText(subject, MaxSubjectLength, allowEmpty: true, nameof(subject));
        Outcome = RequireText(outcome, MaxOutcomeLength, allowEmpty: false, nameof(outcome));
        Details = checkedDetails;
        OccurredAt = occurredAt is { } at ? TruncateToMicroseconds(at) : null;
    }

    /// <summary>Which stream of the chain.</summary>
    public AuditStream Stream { get; }

    /// <summary>What happened, e.g. <c>tsm.approved</c>, <c>kek.imported</c>, <see cref="KeyRequestAction"/>.</summary>
    public string Action { get; }

    /// <summary>Who did it (<see cref="Ttp.Domain.Actor.Id"/>).</summary>
    public string Actor { get; }

    /// <summary>What it was done to, e.g. <c>tsm:acme</c>, <c>issuer-key:A0000001/1</c>.</summary>
    public string Subject { get; }

    /// <summary><see cref="OutcomeOk"/> or a refusal/fault code.</summary>
    public string Outcome { get; }

    /// <summary>A compact JSON object: ids, check values, request metadata; never a secret.</summary>
    public string Details { get; }

    /// <summary>When it happened (UTC, whole microseconds); null: the time of the append.</summary>
    public DateTimeOffset? OccurredAt { get; }

    /// <summary>
    /// A staff action (portal or <c>ttpctl</c>), <paramref name="details"/> serialized to compact JSON (camelCase
    /// names, enums by name). Pass only ids, names and check values.
    /// </summary>
    /// <param name="action">What happened, e.g. <c>tsm.approved</c>.</param>
    /// <param name="actor">Who did it.</param>
    /// <param name="subject">What it was done to, e.g. <c>tsm:acme</c>.</param>
    /// <param name="details">An object that serializes to a JSON object (an anonymous type, a record); null: <c>{}</c>.</param>
    /// <param name="outcome"><see cref="OutcomeOk"/> or a refusal code.</param>
    public static AuditRecord StaffAction(string action, Actor actor, string subject, object? details = null, string outcome = OutcomeOk)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new AuditRecord(SerializeObject(details), AuditStream.StaffAction, action, actor.Id, subject, outcome, null);
    }

    /// <summary>
    /// A key request of a TSM (<c>WSGetDiversifiedKeys</c>): outcome <see cref="OutcomeOk"/> or the fault code;
    /// <paramref name="details"/> the request data and the check values of the delivered keys, never the keys.
    /// </summary>
    /// <param name="tsm">The calling TSM (<see cref="Ttp.Domain.Actor.Tsm"/>).</param>
    /// <param name="subject">The key set asked for, e.g. <c>issuer-key:A0000001/1</c>.</param>
    /// <param name="outcome"><see cref="OutcomeOk"/> or the fault code.</param>
    /// <param name="details">Request metadata and check values; null: <c>{}</c>.</param>
    public static AuditRecord KeyRequest(Actor tsm, string subject, string outcome, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(tsm);
        return new AuditRecord(SerializeObject(details), AuditStream.KeyRequest, KeyRequestAction, tsm.Id, subject, outcome, null);
    }

    /// <summary>
    /// A summary of the key requests of <paramref name="tsm"/> refused beyond its rate limit
    /// (<see cref="RefusalsSummarisedAction"/>); subject the TSM, outcome <see cref="OutcomeRefused"/>.
    /// </summary>
    /// <param name="tsm">The TSM whose requests were refused (<see cref="Ttp.Domain.Actor.Tsm"/>).</param>
    /// <param name="details">The period, the count and the count per fault code; never request data.</param>
    public static AuditRecord RefusalsSummarised(Actor tsm, object details)
    {
        ArgumentNullException.ThrowIfNull(tsm);
        return new AuditRecord(SerializeObject(details), AuditStream.KeyRequest, RefusalsSummarisedAction, tsm.Id, tsm.Id, OutcomeRefused, null);
    }

    /// <summary>The same record with <see cref="OccurredAt"/> set (truncated to microseconds, UTC).</summary>
    public AuditRecord WithOccurredAt(DateTimeOffset occurredAt) => new(this, TruncateToMicroseconds(occurredAt));

    /// <summary>
    /// <paramref name="value"/> in UTC with whole microseconds: the precision both databases store exactly, so that a
    /// record reads back exactly as it was hashed.
    /// </summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>
    /// Serializes <paramref name="details"/> as the records of this class do: compact JSON, camelCase property names,
    /// enums by name (non-ASCII escaped); null gives <c>{}</c>. The factories check that the result is a JSON object.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="details"/> is a string (prepared JSON goes to the
    /// constructor).</exception>
    public static string SerializeDetails(object? details)
    {
        if (details is null)
        {
            return "{}";
        }

        if (details is string)
        {
            throw new ArgumentException("Audit details are an object; use the constructor for prepared JSON text.", nameof(details));
        }

        return JsonSerializer.Serialize(details, details.GetType(), DetailsJson);
    }

    // The serializer's output is valid JSON on one line and, with the default encoder, ASCII only (so well-formed); only
    // its kind and length need checking, which keeps the key-request path free of a second parse.
    private static string SerializeObject(object? details)
    {
        var json = SerializeDetails(details);
        if (json.Length == 0 || json[0] != '{')
        {
            throw new ArgumentException("Audit details must serialize to a JSON object.", nameof(details));
        }

        if (json.Length > MaxDetailsLength)
        {
            throw new ArgumentException($"Audit details are longer than {MaxDetailsLength} characters.", nameof(details));
        }

        return json;
    }

    private AuditRecord(AuditRecord source, DateTimeOffset occurredAt)
    {
        Stream = source.Stream;
        Action = source.Action;
        Actor = source.Actor;
        Subject = source.Subject;
        Outcome = source.Outcome;
        Details = source.Details;
        OccurredAt = occurredAt;
    }

    private static string RequireText(string value, int maxLength, bool allowEmpty, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length == 0 && !allowEmpty)
        {
            throw new ArgumentException("An audit record field may not be empty.", name);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"An audit record field is longer than {maxLength} characters.", name);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("An audit record field may not hold a control character.", name);
            }
        }

        RequireWellFormed(value, name);
        return value;
    }

    private static string RequireJsonObject(string json, string name)
    {
        ArgumentNullException.ThrowIfNull(json, name);
        if (json.Length > MaxDetailsLength)
        {
            throw new ArgumentException($"Audit details are longer than {MaxDetailsLength} characters.", name);
        }

        RequireWellFormed(json, name);
        if (json.AsSpan().ContainsAnyInRange('\u0000', '\u001F'))
        {
            // Compact JSON has no raw control character (strings escape them): one record stays one line in exports.
            throw new ArgumentException("Audit details must be compact JSON, without line breaks or tabs.", name);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("Audit details must be a JSON object.", name);
            }
        }
        catch (JsonException)
        {
            throw new ArgumentException("Audit details are not valid JSON.", name);
        }

        return json;
    }

    // The hash covers the UTF-8 bytes of each field: a lone surrogate has no UTF-8 form, and PostgreSQL would refuse it.
    private static void RequireWellFormed(string value, string name)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException("An audit record field is not well-formed Unicode text.", name);
        }
    }
}
