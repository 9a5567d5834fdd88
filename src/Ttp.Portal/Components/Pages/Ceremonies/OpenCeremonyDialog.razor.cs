using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tsms;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Components.Pages.Ceremonies;

/// <summary>
/// Opens a ceremony through <see cref="CeremonyAdministration"/> (Security officers). Each field is checked here first,
/// its message under the field; a refusal of the domain is shown in the dialog and the input is kept.
/// </summary>
public sealed partial class OpenCeremonyDialog
{
    private static readonly CeremonyKind[] Kinds = [CeremonyKind.ImportIssuerMasterKey, CeremonyKind.ImportKek, CeremonyKind.GenerateKek];

    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private CeremonyKind _kind = CeremonyKind.ImportIssuerMasterKey;
    private string? _iin;
    private string? _sampleKdd;
    private string? _sampleKcv;
    private string? _kvn;
    private SecureChannelScheme _scheme = SecureChannelScheme.Scp02;
    private DiversificationMethod _method = DiversificationMethod.EmvCps11;
    private int _keyLength = 16;
    private string? _tsm;
    private string? _kekIndex;
    private KekAlgorithm _algorithm = KekAlgorithm.Aes128;
    private KekFormat _format = KekFormat.Tr31;
    private string? _components = "2";
    private IReadOnlyCollection<string> _custodians = [];
    private IReadOnlyList<string> _available = [];
    private IReadOnlyList<string> _tsms = [];
    private string? _error;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private CeremonyAdministration Administration { get; set; } = default!;

    [Inject]
    private TsmService Tsms { get; set; } = default!;

    [Inject]
    private IOptions<CeremonyOptions> Options { get; set; } = default!;

    private IEnumerable<DiversificationMethod> Methods => _scheme == SecureChannelScheme.Scp02
        ? [DiversificationMethod.EmvCps11, DiversificationMethod.Visa2, DiversificationMethod.None]
        : [DiversificationMethod.Kdf3, DiversificationMethod.None];

    private IEnumerable<int> Lengths => _scheme == SecureChannelScheme.Scp02 ? [16] : [16, 24, 32];

    protected override async Task OnInitializedAsync()
    {
        _available = await Administration.CustodiansAsync();
        _tsms = [.. (await Tsms.ListAsync()).Where(t => t.State == TsmState.Active).Select(t => t.Name)];
    }

    private string? Error(string field) => _errors.GetValueOrDefault(field);

    private string LengthText(int length) => _scheme == SecureChannelScheme.Scp02
        ? "128 bits (2-key TDES)"
        : string.Create(CultureInfo.InvariantCulture, $"{length * 8} bits (AES)");

    private void KindChanged(CeremonyKind kind)
    {
        _kind = kind;
        _errors.Clear();
        _error = null;
    }

    private void SchemeChanged(SecureChannelScheme scheme)
    {
        _scheme = scheme;
        _method = Methods.First();
        _keyLength = 16;
    }

    private async Task SubmitAsync()
    {
        _errors.Clear();
        _error = null;
        var components = Number(_components, "components", 2, 9, "Number of components: enter a number from 2 to 9");
        var custodians = _custodians.ToList();
        if (components is { } n && custodians.Count > 0 && custodians.Count < n)
        {
            _errors["custodians"] = $"Named custodians: {n} components need at least {n} named custodians (or name none)";
        }

        int? kvn = null;
        int? index = null;
        if (_kind == CeremonyKind.ImportIssuerMasterKey)
        {
            var iin = (_iin ?? string.Empty).Trim();
            if (iin.Length is 0 or > 32 || iin.Length % 2 != 0 || !iin.All(Uri.IsHexDigit))
            {
                _errors["iin"] = "IIN: enter 2 to 32 hex digits (an even number)";
            }

            kvn = Number(_kvn, "kvn", 0, 255, "KVN: enter a number from 0 to 255");
            SampleField(ref _sampleKdd, "sample-kdd", 20, "Sample KDD: enter 20 hex digits, or leave both sample fields empty");
            SampleField(ref _sampleKcv, "sample-kcv", 6, "Sample check value: enter 6 hex digits, or leave both sample fields empty");
            if ((_sampleKdd is null) != (_sampleKcv is null))
            {
                _errors[_sampleKdd is null ? "sample-kdd" : "sample-kcv"] = "A known-answer sample needs both the KDD and the ENC key check value";
            }
        }
        else
        {
            if (string.IsNullOrEmpty(_tsm))
            {
                _errors["tsm"] = "TSM: choose the TSM the KEK serves";
            }

            index = Number(_kekIndex, "index", 1, 255, "KEK index: enter a number from 1 to 255");
        }

        if (_errors.Count > 0)
        {
            return;
        }

        _busy = true;
        try
        {
            var opened = _kind == CeremonyKind.ImportIssuerMasterKey
                ? await Administration.OpenIssuerMasterKeyImportAsync(
                    new IssuerKeyImport(_iin!.Trim(), kvn!.Value, _scheme, _method, _sampleKdd, _sampleKcv), _keyLength, components!.Value, custodians)
                : await Administration.OpenKekAsync(new KekCeremonyRequest(_kind, _tsm!, index!.Value, _algorithm, _format, components!.Value), custodians);
            Dialog.Close(DialogResult.Ok(opened));
        }
        catch (DomainException e)
        {
            _error = Sentence(e.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    // Trims an optional hex field (spaces ignored) to null when empty; names the field when it is not hexDigits hex digits.
    private void SampleField(ref string? value, string field, int hexDigits, string message)
    {
        value = string.IsNullOrWhiteSpace(value) ? null : value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (value is not null && (value.Length != hexDigits || !value.All(Uri.IsHexDigit)))
        {
            _errors[field] = message;
        }
    }

    private int? Number(string? text, string field, int min, int max, string message)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors[field] = message;
        return null;
    }

    private static string Sentence(string message) => PageActions.Sentence(message);
}
