using System.Globalization;
using MudBlazor;
using Ttp.Domain.Ceremonies;

namespace Ttp.Portal.Ceremonies;

/// <summary>How ceremonies read on the ceremony pages: kinds and states in words, progress, expiry relative to now.</summary>
public static class CeremonyDisplay
{
    /// <summary>The kind in words.</summary>
    public static string KindText(CeremonyKind kind) => kind switch
    {
        CeremonyKind.ImportIssuerMasterKey => "Import issuer master key",
        CeremonyKind.ImportKek => "Import KEK",
        CeremonyKind.GenerateKek => "Generate KEK",
        _ => kind.ToString(),
    };

    /// <summary>The state in words.</summary>
    public static string StateText(CeremonyState state) => state switch
    {
        CeremonyState.Open => "Open",
        CeremonyState.CollectingComponents => "Collecting components",
        CeremonyState.AwaitingConfirmation => "Awaiting confirmation",
        CeremonyState.Completed => "Completed",
        CeremonyState.Aborted => "Aborted",
        CeremonyState.Expired => "Expired",
        _ => state.ToString(),
    };

    /// <summary>The chip colour of a state.</summary>
    public static Color StateColor(CeremonyState state) => state switch
    {
        CeremonyState.Open => Color.Info,
        CeremonyState.CollectingComponents => Color.Primary,
        CeremonyState.AwaitingConfirmation => Color.Warning,
        CeremonyState.Completed => Color.Success,
        CeremonyState.Aborted => Color.Error,
        CeremonyState.Expired => Color.Default,
        _ => Color.Default,
    };

    /// <summary>Components in so far, e.g. "2 of 3".</summary>
    public static string Progress(int received, int expected) => string.Create(CultureInfo.InvariantCulture, $"{received} of {expected}");

    /// <summary>The custodians named at opening, or "any custodian".</summary>
    public static string Custodians(IReadOnlyList<string> named) =>
        named.Count == 0 ? "any custodian" : string.Join(", ", named.Select(Person));

    /// <summary>A staff actor id (<c>user:e-mail</c>) as the e-mail alone.</summary>
    public static string Person(string actorId) =>
        actorId.StartsWith("user:", StringComparison.Ordinal) ? actorId["user:".Length..] : actorId;

    /// <summary>An expiry relative to <paramref name="now"/>: "in 42 min", "in 1 h 5 min", "expired 3 min ago".</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var span = at - now;
        var past = span < TimeSpan.Zero;
        var minutes = (int)Math.Ceiling(Math.Abs(span.TotalMinutes));
        var text = minutes > 60
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60} min")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes} min");
        return past ? $"expired {text} ago" : $"in {text}";
    }

    /// <summary>A KEK algorithm in words.</summary>
    public static string AlgorithmText(Ttp.Domain.Keks.KekAlgorithm algorithm) => algorithm switch
    {
        Ttp.Domain.Keks.KekAlgorithm.Tdes2 => "2-key TDES (128 bits)",
        Ttp.Domain.Keks.KekAlgorithm.Tdes3 => "3-key TDES (192 bits)",
        _ => algorithm.ToString().Replace("Aes", "AES-", StringComparison.Ordinal),
    };

    /// <summary>The audit subject of a ceremony's records.</summary>
    public static string AuditSubject(Guid id) => string.Create(CultureInfo.InvariantCulture, $"ceremony:{id:D}");

    /// <summary>A KEK's state in words.</summary>
    public static string KekStateText(Ttp.Domain.Keks.KekState state) => state switch
    {
        Ttp.Domain.Keks.KekState.PendingActivation => "Pending activation",
        Ttp.Domain.Keks.KekState.Active => "Active",
        Ttp.Domain.Keks.KekState.Retired => "Retired",
        _ => state.ToString(),
    };

    /// <summary>The path of a ceremony's page.</summary>
    public static string DetailsHref(Guid id) => string.Create(CultureInfo.InvariantCulture, $"ceremonies/{id:D}");
}
