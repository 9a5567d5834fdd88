using Ttp.Domain;

namespace Ttp.Portal.Components.Shared;

/// <summary>
/// A domain refusal as a form shows it: on the field it names, or for the whole form, in sentence case. Input errors name
/// their field first ("rate limit: expected ...", "issuer 'ZZ': expected ..."); rule refusals name none.
/// </summary>
/// <param name="Field">The field's name as the domain spells it ("name", "issuer", "contact e-mail"); null for the form.</param>
/// <param name="Message">The sentence to show.</param>
public sealed record FormRefusal(string? Field, string Message)
{
    private const int MaxFieldLength = 60;

    /// <summary>Splits <paramref name="refusal"/> into its field and sentence.</summary>
    public static FormRefusal Of(DomainException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var message = refusal.Message;
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (refusal is not DomainInputException || colon <= 0 || colon > MaxFieldLength)
        {
            return new FormRefusal(null, PageActions.Sentence(message, "The change was refused."));
        }

        var prefix = message[..colon];
        var quote = prefix.IndexOf(" '", StringComparison.Ordinal);

        // "issuer 'ZZ': ..." keeps the value it names; "name: expected ..." reads "Expected ..." under the Name field.
        return quote > 0
            ? new FormRefusal(prefix[..quote], PageActions.Sentence(message))
            : new FormRefusal(prefix, PageActions.Sentence(message[(colon + 2)..]));
    }

    /// <summary>Whether the refusal is about <paramref name="field"/>.</summary>
    public bool IsAbout(string field) => string.Equals(Field, field, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A MudBlazor field validation from a domain rule: runs <paramref name="rule"/> on the value and answers the refusal's
    /// sentence, or null when the domain accepts the value. The rule is the domain's own, never typed again here.
    /// </summary>
    public static Func<T, string?> Check<T>(Action<T> rule) => value =>
    {
        try
        {
            rule(value);
            return null;
        }
        catch (DomainException e)
        {
            return Of(e).Message;
        }
    };
}
