using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Tsms;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Components.Pages.Tsms;

/// <summary>
/// Registers a TSM: each field is checked by the domain's own rule (<see cref="TsmFields"/>) as it is typed; a refusal of
/// the server lands on the field it names, or in one alert, and the input stays; Register says why it is not yet
/// possible.
/// </summary>
public sealed partial class RegisterTsmPage
{
    private static readonly string[] FieldNames = ["name", "organisation", "contact name", "contact e-mail", "contact phone", "issuer", "rate limit"];
    private static readonly string NameHelp = $"1 to {TsmFields.MaxNameLength} characters; it names the TSM in the portal and the audit trail.";
    private static readonly Func<string?, string?> NameCheck = FormRefusal.Check<string?>(name => TsmFields.Name(name));
    private static readonly Func<string?, string?> OrganisationCheck = FormRefusal.Check<string?>(text => TsmFields.Organisation(text));
    private static readonly Func<string?, string?> ContactNameCheck = FormRefusal.Check<string?>(text => TsmFields.ContactName(text));
    private static readonly Func<string?, string?> ContactEmailCheck = FormRefusal.Check<string?>(text => TsmFields.ContactEmail(text));
    private static readonly Func<string?, string?> ContactPhoneCheck = FormRefusal.Check<string?>(text => TsmFields.ContactPhone(text));

    private readonly ServerRefusal _server = new();
    private MudForm? _form;
    private string? _name;
    private string? _organisation;
    private string? _contactName;
    private string? _contactEmail;
    private string? _contactPhone;
    private string? _issuers;
    private double? _rateLimit;
    private UploadedCertificate? _certificate;
    private bool _saving;

    // Why Register is not yet possible, in words next to the button; null when it is.
    private string? WhyNotYet =>
        _saving ? "Registering..."
        : string.IsNullOrWhiteSpace(_name) ? "Enter a name to register the TSM."
        : _certificate is null ? "Choose the TSM's client certificate, or paste it as PEM."
        : !_certificate.Preview.IsAcceptable ? "The certificate misses a requirement (see its preview): choose another."
        : FieldProblem() is not null ? "Correct the fields marked in red."
        : null;

    private string? FieldProblem() =>
        NameCheck(_name) ?? OrganisationCheck(_organisation) ?? ContactNameCheck(_contactName) ?? ContactEmailCheck(_contactEmail)
        ?? ContactPhoneCheck(_contactPhone) ?? EditScopeDialog.IssuersCheck(_issuers) ?? EditScopeDialog.RateLimitCheck(_rateLimit);

    private void OnCertificate(UploadedCertificate? certificate) => _certificate = certificate;

    private async Task SaveAsync()
    {
        if (_certificate is null || WhyNotYet is not null)
        {
            return;
        }

        _server.Clear();
        _saving = true;
        try
        {
            var registration = new TsmRegistration(_name ?? string.Empty, _organisation, SplitIssuers(_issuers),
                new TsmContact(_contactName, _contactEmail, _contactPhone), _rateLimit);
            var tsm = await Accreditation.RegisterAsync(registration, _certificate.Content);
            Snackbar.Add($"TSM '{tsm.Name}' registered; a second operator must approve it.", Severity.Success);
            Navigation.NavigateTo($"tsms/{Uri.EscapeDataString(tsm.Name)}");
        }
        catch (DomainException e)
        {
            // The input stays as typed; the refusal goes to the field it names (through its validation) or the alert.
            _server.Set(FormRefusal.Of(e), ValueOf);
            if (_form is not null)
            {
                await _form.ValidateAsync();
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private object? ValueOf(string field) => field switch
    {
        "name" => _name,
        "organisation" => _organisation,
        "contact name" => _contactName,
        "contact e-mail" => _contactEmail,
        "contact phone" => _contactPhone,
        "issuer" => _issuers,
        "rate limit" => _rateLimit,
        _ => null,
    };

    /// <summary>IINs as typed: separated by commas, semicolons, spaces or new lines.</summary>
    internal static string[] SplitIssuers(string? text) =>
        (text ?? string.Empty).Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
