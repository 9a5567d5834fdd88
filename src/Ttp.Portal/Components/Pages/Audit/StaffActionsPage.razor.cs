using Ttp.Domain.Audit;
using Ttp.Portal.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The staff-action search (<c>/audit/actions</c>): actor, action, subject, outcome and time bound to the URL
/// (<see cref="AuditFilterQuery"/>), keyset pages newest or oldest first, a record's details (before and after side by
/// side) in the drawer, export links for the current filter. Read-only: Auditors and Security officers.
/// </summary>
public sealed partial class StaffActionsPage
{
    [Microsoft.AspNetCore.Components.Inject]
    private StaffActionSearch Search { get; set; } = default!;

    protected override string Path => "audit/actions";

    protected override string ExportPath => "audit/export/actions";

    protected override IReadOnlyList<string> Names => AuditFilterQuery.StaffActionNames;

    protected override AuditStream Stream => AuditStream.StaffAction;

    protected override bool TryParse(IReadOnlyDictionary<string, string?> values, out StaffActionFilter? filter, out IReadOnlyDictionary<string, string> errors) =>
        AuditFilterQuery.TryParseStaffActions(values, out filter, out errors);

    protected override string Format(StaffActionFilter filter) => AuditFilterQuery.Format(filter);

    protected override async Task<(IReadOnlyList<StaffActionRow> Rows, long? Next)> SearchAsync(
        StaffActionFilter filter, AuditOrder order, int pageSize, long? cursor, CancellationToken cancellationToken)
    {
        var page = await Search.SearchAsync(filter, order, pageSize, cursor, cancellationToken);
        return (page.Rows, page.Next);
    }
}
