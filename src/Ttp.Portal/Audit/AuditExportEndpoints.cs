using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Portal.Security;

namespace Ttp.Portal.Audit;

/// <summary>
/// The auditor's downloads of a filtered view (docs/OPERATIONS.md, "Exporting a filtered view"):
/// <c>GET /audit/export/key-requests?format=csv|jsonl&amp;requestId&amp;tsm&amp;iin&amp;kdd&amp;kvn&amp;kekIndex&amp;outcome&amp;from&amp;to</c>
/// and <c>GET /audit/export/actions?format=csv|jsonl&amp;actor&amp;action&amp;subject&amp;outcome&amp;from&amp;to</c>, the filters read
/// by <see cref="AuditFilterQuery"/> as the search pages read them (an unknown parameter is refused, so that a mistyped
/// filter never silently exports everything). Policy <see cref="PortalPolicies.ReviewAudit"/>; streamed from the database into the response, unbuffered. A malformed
/// filter answers 400 with a plain message naming the field. Each export is recorded in the audit trail
/// (<c>audit.exported</c>: who, the filter, the format, how many records, the run) before its first byte is sent.
/// </summary>
public static class AuditExportEndpoints
{
    private const int WriterBufferChars = 16 * 1024;

    /// <summary>Maps the export endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/audit/export/key-requests", (HttpContext context, IDbContextFactory<TtpDbContext> factory, AuditCheckpointFile anchors, AuditedTransaction audited, TimeProvider time) =>
            ExportAsync(context, factory, anchors, audited, time, AuditFilterQuery.KeyRequestNames, q => AuditSelection.KeyRequests(AuditFilterQuery.ParseKeyRequests(q))))
            .RequireAuthorization(PortalPolicies.ReviewAudit);
        endpoints.MapGet("/audit/export/actions", (HttpContext context, IDbContextFactory<TtpDbContext> factory, AuditCheckpointFile anchors, AuditedTransaction audited, TimeProvider time) =>
            ExportAsync(context, factory, anchors, audited, time, AuditFilterQuery.StaffActionNames, q => AuditSelection.StaffActions(AuditFilterQuery.ParseStaffActions(q))))
            .RequireAuthorization(PortalPolicies.ReviewAudit);
        return endpoints;
    }

    // Reads the format and the filter (400 naming a malformed or unknown parameter), then exports.
    private static async Task ExportAsync(
        HttpContext context, IDbContextFactory<TtpDbContext> factory, AuditCheckpointFile anchors, AuditedTransaction audited, TimeProvider time,
        IReadOnlyList<string> names, Func<IQueryCollection, AuditSelection> select)
    {
        AuditExportFormat format;
        AuditSelection selection;
        try
        {
            var query = context.Request.Query;
            foreach (var (name, values) in query)
            {
                if (name != "format" && !names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw Invalid(name, $"{name}: not a filter field (expected {string.Join(", ", names)}).");
                }

                if (values.Count > 1)
                {
                    throw Invalid(name, $"{name}: given more than once.");
                }
            }

            format = query["format"].ToString() switch
            {
                "csv" => AuditExportFormat.Csv,
                "jsonl" => AuditExportFormat.JsonLines,
                _ => throw Invalid("format", "format: expected csv or jsonl."),
            };
            selection = select(query);
        }
        catch (ArgumentException e)
        {
            await BadRequestAsync(context, AuditFilterQuery.MessageOf(e));
            return;
        }

        await ExportAsync(context, factory, anchors, audited, time, format, selection);
    }

    // Audits, then streams the selection into the response.
    private static async Task ExportAsync(
        HttpContext context, IDbContextFactory<TtpDbContext> factory, AuditCheckpointFile anchors, AuditedTransaction audited, TimeProvider time,
        AuditExportFormat format, AuditSelection selection)
    {
        var actor = Actor.Staff(StaffAuthorization.EmailOf(context.User));
        var csv = format == AuditExportFormat.Csv;
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var response = context.Response;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), WriterBufferChars);
        await AuditExporter.ExportSelectionAsync(factory, writer, format, anchors, selection, async (planned, cancellationToken) =>
        {
            // Recorded (and checkpointed) before the first byte leaves: no export goes unrecorded.
            await audited.RunAsync(_ => Task.FromResult((0, AuditRecord.StaffAction("audit.exported", actor, "audit", new
            {
                Selection = selection.Name,
                selection.Filter,
                Format = format.ToString(),
                planned.Records,
                planned.Matches,
                planned.FirstSequence,
                planned.LastSequence,
                planned.CoveredThrough,
            }))), cancellationToken);
            response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            response.Headers.ContentDisposition = $"attachment; filename=\"ttp-{selection.Name}-{stamp}.{(csv ? "csv" : "jsonl")}\"";
            response.Headers.CacheControl = "no-store";
        }, context.RequestAborted);
    }

    // The query parameter's name as ParamName, the message naming it.
    private static ArgumentException Invalid(string parameter, string message) => new(message, parameter);

    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
