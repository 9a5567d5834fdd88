using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace Ttp.Portal.Components.Layout;

/// <summary>
/// The portal's frame. The theme follows the system setting (prefers-color-scheme) until the user picks one with the
/// theme button; the pick is kept in the browser's local storage under a key of that user, so it survives reloads and
/// another staff member on the same browser keeps their own.
/// </summary>
public partial class MainLayout
{
    private const string ThemeKeyPrefix = "ttp-theme:";

    private MudThemeProvider _themeProvider = default!;
    private bool _drawerOpen = true;
    private bool _darkMode;
    private bool _interactive;

    // "dark", "light", or null while the system setting rules.
    private string? _themeChoice;
    private string _themeKey = ThemeKeyPrefix;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        var user = AuthenticationState is null ? null : (await AuthenticationState).User.Identity?.Name;
        _themeKey = ThemeKeyPrefix + (user ?? string.Empty).ToUpperInvariant();
        try
        {
            var stored = await JS.InvokeAsync<string?>("localStorage.getItem", _themeKey);
            _themeChoice = stored is "dark" or "light" ? stored : null;
        }
        catch (JSException)
        {
            // No local storage (a locked-down browser): the system setting rules.
            _themeChoice = null;
        }

        _darkMode = _themeChoice is null ? await _themeProvider.GetSystemDarkModeAsync() : _themeChoice == "dark";
        await _themeProvider.WatchSystemDarkModeAsync(SystemDarkModeChangedAsync);
        _interactive = true;
        StateHasChanged();
    }

    private Task SystemDarkModeChangedAsync(bool dark)
    {
        if (_themeChoice is null)
        {
            _darkMode = dark;
            return InvokeAsync(StateHasChanged);
        }

        return Task.CompletedTask;
    }

    private async Task ToggleThemeAsync()
    {
        _darkMode = !_darkMode;
        _themeChoice = _darkMode ? "dark" : "light";
        try
        {
            await JS.InvokeVoidAsync("localStorage.setItem", _themeKey, _themeChoice);
        }
        catch (JSException)
        {
            // Not remembered: the choice holds for this page only.
        }
    }
}
