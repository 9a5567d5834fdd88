namespace Ttp.Portal.Components.Shared;

/// <summary>
/// The server's latest refusal of a form, shown where it belongs: on the field it names (through that field's MudForm
/// validation, for as long as the field keeps the value that was refused) or once for the whole form. The input stays as
/// typed.
/// </summary>
public sealed class ServerRefusal
{
    private object? _refusedValue;

    /// <summary>The latest refusal; null once the next submission starts.</summary>
    public FormRefusal? Refusal { get; private set; }

    /// <summary>Keeps <paramref name="refusal"/> and the value its field held (<paramref name="valueOf"/> answers it by the domain's field name).</summary>
    public void Set(FormRefusal? refusal, Func<string, object?> valueOf)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        Refusal = refusal;
        _refusedValue = refusal?.Field is { } field ? valueOf(field) : null;
    }

    /// <summary>Forgets the refusal (a new submission starts).</summary>
    public void Clear() => Set(null, _ => null);

    /// <summary>The field's validation: the refusal while the field keeps the refused value, else <paramref name="check"/> (the domain's rule).</summary>
    public Func<T, string?> On<T>(string field, Func<T, string?> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return value => Refusal is { } refusal && refusal.IsAbout(field) && Equals(_refusedValue, value) ? refusal.Message : check(value);
    }

    /// <summary>The refusal's sentence when it names none of <paramref name="fields"/> (it is then the form's), else null.</summary>
    public string? ForForm(params string[] fields) =>
        Refusal is { } refusal && !fields.Any(refusal.IsAbout) ? refusal.Message : null;
}
