using MudBlazor;

namespace Ttp.Portal.Components.Layout;

/// <summary>
/// The portal's MudBlazor theme: one palette for light and dark, no web fonts (the portal runs offline). Every colour
/// meets WCAG 2.1 AA (4.5:1) both as text on the page's surface and behind its contrast text (filled chips and buttons):
/// MudBlazor's defaults (white on #ff9800, #00c853, #f44336) do not. Light: dark tones under white text; dark: light
/// tones under near-black text. The alerts' text uses the "darken" tone, set here so that it stays readable in dark mode.
/// </summary>
internal static class PortalTheme
{
    private const string OnLight = "#FFFFFF";
    private const string OnDark = "#1A1A1A";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1E3A5F",
            PrimaryContrastText = OnLight,
            Secondary = "#7A5A00",
            SecondaryContrastText = OnLight,
            Info = "#1565C0",
            InfoContrastText = OnLight,
            Success = "#1B6E35",
            SuccessContrastText = OnLight,
            Warning = "#A34A00",
            WarningContrastText = OnLight,
            Error = "#B3261E",
            ErrorContrastText = OnLight,
            AppbarBackground = "#1E3A5F",
            AppbarText = OnLight,
            TextSecondary = "rgba(0,0,0,0.64)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9CC2F0",
            PrimaryDarken = "#9CC2F0",
            PrimaryContrastText = OnDark,
            Secondary = "#F2C75C",
            SecondaryDarken = "#F2C75C",
            SecondaryContrastText = OnDark,
            Info = "#90CAF9",
            InfoDarken = "#90CAF9",
            InfoContrastText = OnDark,
            Success = "#7FD99A",
            SuccessDarken = "#7FD99A",
            SuccessContrastText = OnDark,
            Warning = "#FFB74D",
            WarningDarken = "#FFB74D",
            WarningContrastText = OnDark,
            Error = "#FF9E97",
            ErrorDarken = "#FF9E97",
            ErrorContrastText = OnDark,
            TextSecondary = "rgba(255,255,255,0.72)",
        },
    };
}
