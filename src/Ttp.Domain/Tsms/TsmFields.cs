namespace Ttp.Domain.Tsms;

/// <summary>
/// The rules of a TSM's fields, one function each, as <see cref="Tsm.Register(TsmRegistration, CertificateInfo, Actor, DateTimeOffset)"/>
/// and <see cref="Tsm.UpdateScope"/> apply them: each answers the field's value as stored, or throws the
/// <see cref="DomainInputException"/> that names the field. Forms check a field with the same function before sending it.
/// </summary>
public static class TsmFields
{
    /// <summary>The longest organisation or contact name.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The longest name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The name, trimmed: 1 to <see cref="MaxNameLength"/> characters, not "register".</summary>
    public static string Name(string? name) => Tsm.ValidName(name);

    /// <summary>The organisation, trimmed, or null when empty.</summary>
    public static string? Organisation(string? organisation) => Tsm.Optional(organisation, MaxTextLength, "organisation");

    /// <summary>The contact's name, trimmed, or null when empty.</summary>
    public static string? ContactName(string? name) => Tsm.Optional(name, MaxTextLength, "contact name");

    /// <summary>The contact's e-mail address, trimmed, or null when empty.</summary>
    public static string? ContactEmail(string? email) => TsmContact.ValidEmail(email);

    /// <summary>The contact's phone number, trimmed, or null when empty.</summary>
    public static string? ContactPhone(string? phone) => TsmContact.ValidPhone(phone);

    /// <summary>The rate limit: above 0 and at most <see cref="Tsm.MaxRateLimitPerSecond"/>, or null for the default.</summary>
    public static double? RateLimit(double? rate) => Tsm.ValidRateLimit(rate);

    /// <summary>The IINs, normalized (<see cref="TsmIssuers.Normalize"/>).</summary>
    public static IReadOnlyList<string> Issuers(IEnumerable<string>? issuers) => TsmIssuers.Normalize(issuers);
}
