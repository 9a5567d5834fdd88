using MudBlazor;
using Ttp.Domain;

namespace Ttp.Portal.Components.Shared;

/// <summary>
/// How a page runs one change through its edge: busy while it runs, the success message or the domain's refusal as one
/// snackbar, then the page reloads what it shows.
/// </summary>
internal static class PageActions
{
    /// <summary>Runs <paramref name="change"/>; <paramref name="asSentence"/> starts the refusal with a capital and ends it with a period.</summary>
    public static async Task RunAsync(ISnackbar snackbar, Func<Task<string>> change, Action<bool> busy, Func<Task> reload, bool asSentence = true)
    {
        busy(true);
        try
        {
            snackbar.Add(await change(), Severity.Success);
        }
        catch (DomainException e)
        {
            snackbar.Add(asSentence ? Sentence(e.Message) : e.Message, Severity.Error);
        }
        finally
        {
            busy(false);
        }

        await reload();
    }

    /// <summary>
    /// Runs <paramref name="change"/> for a page without a form of its own: the success message as one snackbar, the
    /// domain's refusal (or null once a change succeeds) handed to <paramref name="refused"/>, which the page shows in one
    /// alert; then the page reloads.
    /// </summary>
    public static async Task RunAsync(ISnackbar snackbar, Func<Task<string>> change, Action<bool> busy, Func<Task> reload, Action<string?> refused)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(busy);
        ArgumentNullException.ThrowIfNull(reload);
        ArgumentNullException.ThrowIfNull(refused);
        busy(true);
        try
        {
            snackbar.Add(await change(), Severity.Success);
            refused(null);
        }
        catch (DomainException e)
        {
            refused(FormRefusal.Of(e).Message);
        }
        finally
        {
            busy(false);
        }

        await reload();
    }

    /// <summary>
    /// Runs <paramref name="change"/> from inside a dialog: on success the dialog closes with the success message (the page
    /// shows it, see <see cref="AfterDialogAsync"/>); on a refusal the dialog stays open with the user's input and the
    /// refusal is returned for the field it names or the form.
    /// </summary>
    public static async Task<FormRefusal?> SubmitAsync(IMudDialogInstance dialog, Func<Task<string>> change)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            dialog.Close(DialogResult.Ok(await change()));
            return null;
        }
        catch (DomainException e)
        {
            return FormRefusal.Of(e);
        }
    }

    /// <summary>Waits for a dialog that ran its change itself (<see cref="SubmitAsync"/>): its success message as one snackbar, then the page reloads.</summary>
    public static async Task AfterDialogAsync(ISnackbar snackbar, IDialogReference dialog, Func<Task> reload)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(reload);
        if (await dialog.Result is { Canceled: false, Data: string done })
        {
            snackbar.Add(done, Severity.Success);
        }

        await reload();
    }

    /// <summary>A domain message as a sentence: capital first letter, final period; <paramref name="whenEmpty"/> for an empty one.</summary>
    public static string Sentence(string message, string whenEmpty = "") =>
        message.Length == 0 ? whenEmpty : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? string.Empty : ".");
}
