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
/// <c>GET /audit/export/key-requests?format=csv|jsonl&amp;requestId&amp;tsm&amp;iin&amp;kdd&amp;kvn&amp;kekIndex&amp;outcome&amp;from&amp;to</c>.
/// Policy <see cref="PortalPolicies.ReviewAudit"/>; streamed from the database into the response, unbuffered. A malformed
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
        endpoints.MapGet("/audit/export/key-requests", ExportKeyRequestsAsync).RequireAuthorization(PortalPolicies.ReviewAudit);
        return endpoints;
    }

    private static async Task ExportKeyRequestsAsync(
        HttpContext context, IDbContextFactory<TtpDbContext> factory, AuditCheckpointFile anchors, AuditedTransaction audited, TimeProvider time)
    {
        AuditExportFormat format;
        AuditSelection selection;
        try
        {
            format = AuditExportQuery.Format(context.Request.Query);
            selection = AuditSelection.KeyRequests(AuditExportQuery.KeyRequestFilter(context.Request.Query));
        }
        catch (ArgumentException e)
        {
            await BadRequestAsync(context, e.Message);
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

    private static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
