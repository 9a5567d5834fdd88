using MudBlazor;

namespace Ttp.Portal.Components.Shared;

/// <summary>
/// Snackbars announce a success, one at a time: a refusal is shown on the field or in the form it concerns, never as a
/// snackbar that covers the header or stacks up.
/// </summary>
internal static class PortalSnackbars
{
    /// <summary>One snackbar at a time, no duplicates, bottom right (off the app bar), gone after a few seconds.</summary>
    public static void Configure(SnackbarConfiguration configuration)
    {
        configuration.PositionClass = Defaults.Classes.Position.BottomRight;
        configuration.PreventDuplicates = true;
        configuration.MaxDisplayedSnackbars = 1;
        configuration.NewestOnTop = true;
        configuration.RequireInteraction = false;
        configuration.ShowCloseIcon = true;
        configuration.VisibleStateDuration = 4000;
        configuration.SnackbarVariant = Variant.Filled;
    }
}
