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
    public static async Task RunAsync(ISnackbar snackbar, Func<Task<string>> change, Action<bool> busy, Func<Task> reload, bool asSentence = false)
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

    /// <summary>A domain message as a sentence: capital first letter, final period; <paramref name="whenEmpty"/> for an empty one.</summary>
    public static string Sentence(string message, string whenEmpty = "") =>
        message.Length == 0 ? whenEmpty : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? string.Empty : ".");
}
