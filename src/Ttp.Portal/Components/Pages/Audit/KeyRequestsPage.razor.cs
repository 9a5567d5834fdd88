using Ttp.Domain.Audit;
using Ttp.Portal.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The key-request search (<c>/audit/key-requests</c>): filters bound to the URL (<see cref="AuditFilterQuery"/>), keyset
/// pages newest or oldest first, a record's every field in the drawer, export links for the current filter. Read-only:
/// Auditors, Security officers and Operators.
/// </summary>
public sealed partial class KeyRequestsPage
{
    [Microsoft.AspNetCore.Components.Inject]
    private KeyRequestSearch Search { get; set; } = default!;

    protected override string Path => "audit/key-requests";

    protected override string ExportPath => "audit/export/key-requests";

    protected override IReadOnlyList<string> Names => AuditFilterQuery.KeyRequestNames;

    protected override AuditStream Stream => AuditStream.KeyRequest;

    protected override bool TryParse(IReadOnlyDictionary<string, string?> values, out KeyRequestFilter? filter, out IReadOnlyDictionary<string, string> errors) =>
        AuditFilterQuery.TryParseKeyRequests(values, out filter, out errors);

    protected override string Format(KeyRequestFilter filter) => AuditFilterQuery.Format(filter);

    protected override async Task<(IReadOnlyList<KeyRequestRow> Rows, long? Next)> SearchAsync(
        KeyRequestFilter filter, AuditOrder order, int pageSize, long? cursor, CancellationToken cancellationToken)
    {
        var page = await Search.SearchAsync(filter, order, pageSize, cursor, cancellationToken);
        return (page.Rows, page.NextBefore);
    }
}
