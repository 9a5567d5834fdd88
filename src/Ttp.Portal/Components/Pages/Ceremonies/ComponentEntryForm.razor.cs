using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Components;
using Ttp.Domain;
using Ttp.Portal.Ceremonies;

namespace Ttp.Portal.Components.Pages.Ceremonies;

/// <summary>
/// The entry of one component by a Key custodian, through <see cref="CeremonyAdministration.EnterComponentAsync"/>. The
/// typed text is kept only until it is sent; the bytes handed to the edge are zeroed by it (and by the domain), and the
/// field is emptied whatever the outcome, so the component is never rendered back.
/// </summary>
public sealed partial class ComponentEntryForm
{
    private string _component = string.Empty;
    private string? _checkValue;
    private string? _checkValueError;
    private string? _error;
    private bool _busy;

    [Inject]
    private CeremonyAdministration Administration { get; set; } = default!;

    /// <summary>The ceremony.</summary>
    [Parameter]
    [EditorRequired]
    public Guid CeremonyId { get; set; }

    /// <summary>The key's length in bytes: the component has twice as many hex digits.</summary>
    [Parameter]
    [EditorRequired]
    public int KeyLength { get; set; }

    /// <summary>Raised after a component was accepted, with the sentence to show (number and check value), for the page to reload the ceremony.</summary>
    [Parameter]
    public EventCallback<string> OnEntered { get; set; }

    private bool CanSubmit => HexDigits(_component) == KeyLength * 2 && ComponentError is null && IsCheckValue(_checkValue);

    // The message under the field while typing: wrong characters, or how many digits of how many.
    private string? ComponentError
    {
        get
        {
            if (_component.Length == 0)
            {
                return null;
            }

            foreach (var c in _component)
            {
                if (c != ' ' && !Uri.IsHexDigit(c))
                {
                    return "Component: only hex digits 0-9 and A-F (spaces are ignored)";
                }
            }

            var digits = HexDigits(_component);
            return digits == KeyLength * 2
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"Component: {digits} of {KeyLength * 2} hex digits");
        }
    }

    private void ComponentChanged(string? value)
    {
        _component = value ?? string.Empty;
        _error = null;
    }

    private async Task SubmitAsync()
    {
        _error = null;
        _checkValueError = null;
        if (!IsCheckValue(_checkValue))
        {
            _checkValueError = "Check value: enter the 6 hex digits of your document";
            return;
        }

        if (!CanSubmit)
        {
            return;
        }

        _busy = true;
        var bytes = new byte[KeyLength];
        try
        {
            var written = 0;
            for (var i = 0; i < _component.Length; i++)
            {
                if (_component[i] == ' ')
                {
                    continue;
                }

                var high = HexValue(_component[i]);
                i++;
                while (_component[i] == ' ')
                {
                    i++;
                }

                bytes[written++] = (byte)((high << 4) | HexValue(_component[i]));
            }

            // The text leaves the form before the call: nothing of it is rendered again, whatever the outcome.
            _component = string.Empty;
            var checkValue = _checkValue!.Trim().ToUpperInvariant();
            var ceremony = await Administration.EnterComponentAsync(CeremonyId, bytes, checkValue);
            _checkValue = null;
            await OnEntered.InvokeAsync(string.Create(CultureInfo.InvariantCulture,
                $"Component {ceremony.ComponentsReceived} of {ceremony.ComponentsExpected} entered, check value {checkValue}. The component is not kept here."));
        }
        catch (DomainException e) when (e.Message.Contains("check value", StringComparison.Ordinal) || e.Message.StartsWith("check-value", StringComparison.Ordinal))
        {
            _checkValueError = Sentence(e.Message);
        }
        catch (DomainException e)
        {
            _error = Sentence(e.Message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            _component = string.Empty;
            _busy = false;
        }
    }

    private static int HexDigits(string text) => text.Count(c => c != ' ');

    private static bool IsCheckValue(string? text) => text?.Trim() is { Length: 6 } t && t.All(Uri.IsHexDigit);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => throw new FormatException("not a hex digit"),
    };

    private static string Sentence(string message) => Shared.PageActions.Sentence(message);
}
