using MudBlazor;
using Ttp.Domain.Keks;

namespace Ttp.Portal.Accreditation;

/// <summary>How KEK states and attributes read on a TSM's page (times: <see cref="Components.Shared.TimeDisplay"/>).</summary>
public static class KekDisplay
{
    /// <summary>The chip colour of a state.</summary>
    public static Color StateColor(KekState state) => state switch
    {
        KekState.PendingActivation => Color.Warning,
        KekState.Active => Color.Success,
        KekState.Retired => Color.Default,
        _ => Color.Default,
    };

    /// <summary>The state in words.</summary>
    public static string StateText(KekState state) => state switch
    {
        KekState.PendingActivation => "Pending activation",
        KekState.Active => "Active",
        KekState.Retired => "Retired",
        _ => state.ToString(),
    };

    /// <summary>The algorithm with its length, e.g. "TDES (2-key, 128 bits)", "AES-256".</summary>
    public static string AlgorithmText(KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => "TDES (2-key, 128 bits)",
        KekAlgorithm.Tdes3 => "TDES (3-key, 192 bits)",
        KekAlgorithm.Aes128 => "AES-128",
        KekAlgorithm.Aes192 => "AES-192",
        KekAlgorithm.Aes256 => "AES-256",
        _ => algorithm.ToString(),
    };

    /// <summary>The delivery format: TR-31 key blocks or GlobalPlatform encryption.</summary>
    public static string FormatText(KekFormat format) => format switch
    {
        KekFormat.Tr31 => "TR-31",
        KekFormat.GpEncrypted => "GP",
        _ => format.ToString(),
    };

    /// <summary>
    /// The ceremonies page with its open dialog prefilled for a KEK of <paramref name="tsmName"/> at <paramref name="index"/>
    /// (a new KEK, or the next version of an index: a rotation).
    /// </summary>
    public static string CeremonyHref(string tsmName, int index) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ceremonies?open=kek&tsm={Uri.EscapeDataString(tsmName)}&index={index}");

    /// <summary>The page of the ceremony that made a KEK.</summary>
    public static string CeremonyDetailsHref(Guid ceremonyId) => $"ceremonies/{ceremonyId:D}";
}
