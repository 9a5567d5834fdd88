using MudBlazor;

namespace Ttp.Portal.Components.Layout;

/// <summary>The portal's MudBlazor theme: one palette for light and dark, no web fonts (the portal runs offline).</summary>
internal static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1E3A5F",
            Secondary = "#D4A72C",
            AppbarBackground = "#1E3A5F",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7FA7D9",
            Secondary = "#D4A72C",
        },
    };
}
