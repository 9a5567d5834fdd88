using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Pages;

/// <summary>
/// The dashboard's ceremonies: for a Key custodian, the ceremonies that wait for them (<see cref="CeremonyQueries.TasksForAsync"/>:
/// a component to enter or receive, or a received one to acknowledge); for Security officers and Auditors, the
/// ceremonies in progress with their progress and expiry, those expiring within <see cref="ExpiringWithin"/>
/// highlighted. Other roles see nothing of it. Reads only; time from the portal's <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class DashboardCeremonies
{
    /// <summary>A ceremony that expires within this is highlighted.</summary>
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromMinutes(15);

    private bool _visible;
    private bool _loaded;
    private IReadOnlyList<CeremonyTask>? _tasks;
    private IReadOnlyList<CeremonySummary>? _inProgress;
    private DateTimeOffset _now;
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        var custodian = await Staff.IsAllowedAsync(PortalPolicies.KeyCustodian);
        var overseer = await Staff.IsAllowedAsync(PortalPolicies.SecurityOfficer) || await Staff.IsAllowedAsync(PortalPolicies.Auditor);
        _visible = custodian || overseer;
        if (!_visible)
        {
            return;
        }

        _now = Time.GetUtcNow();
        try
        {
            if (custodian)
            {
                var actor = Actor.Staff(StaffAuthorization.EmailOf(await Staff.UserAsync()));
                _tasks = [.. (await Queries.TasksForAsync(actor)).Select(c => new CeremonyTask(c, ActionFor(c, actor)))];
            }

            if (overseer)
            {
                _inProgress = await Queries.ListAsync();
            }

            _loaded = true;
        }
        catch (Exception e) when (e is DomainException or System.Data.Common.DbException)
        {
            _error = "The ceremonies could not be read: " + e.Message;
        }
    }

    /// <summary>What the custodian does next: acknowledge a generated component they received, receive one, or enter one.</summary>
    private static string ActionFor(CeremonySummary ceremony, Actor actor)
    {
        var next = ceremony.ComponentsReceived + 1;
        return ceremony.Kind == CeremonyKind.GenerateKek
            ? ceremony.EnteredBy.Contains(actor.Id, StringComparer.Ordinal)
                ? "Acknowledge the component you received"
                : $"Receive component {next} of {ceremony.ComponentsExpected}"
            : $"Enter component {next} of {ceremony.ComponentsExpected}";
    }

    private static string Href(CeremonySummary ceremony) => $"ceremonies/{ceremony.Id:D}";

    private bool IsExpiring(CeremonySummary ceremony) => ceremony.ExpiresAt - _now <= ExpiringWithin;

    /// <summary>"expires in 9 min" within the highlight window (whole minutes, rounded up), else the time; "overdue" past it.</summary>
    private string ExpiryText(CeremonySummary ceremony)
    {
        var left = ceremony.ExpiresAt - _now;
        return left <= TimeSpan.Zero ? "overdue: expires at its next step"
            : left <= ExpiringWithin ? $"expires in {(int)Math.Ceiling(left.TotalMinutes)} min"
            : $"expires {Ttp.Portal.Components.Shared.TimeDisplay.Format(ceremony.ExpiresAt)}";
    }

    private static string StateText(CeremonyState state) => CeremonyDisplay.StateText(state);

    /// <summary>A ceremony waiting for the signed-in custodian, and what they do next.</summary>
    private sealed record CeremonyTask(CeremonySummary Ceremony, string Action);
}
