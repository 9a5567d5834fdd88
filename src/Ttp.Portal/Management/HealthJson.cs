using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ttp.Portal.Management;

/// <summary>
/// Writes a readiness report as JSON: the overall status and, per check, its status, its fixed description and its
/// numbers. Never an exception or its message (a driver's message may carry a host name or a connection string).
/// </summary>
internal static class HealthJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? (entry.Status == HealthStatus.Healthy ? "ok" : "failed"));
            foreach (var (key, value) in entry.Data)
            {
                // Only the numbers the checks themselves put there (counts, seconds).
                if (value is int or long or double)
                {
                    json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
