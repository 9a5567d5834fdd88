using System.Text.Json;
using MudBlazor;
using Ttp.Domain.Tsms;
using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Accreditation;

/// <summary>How TSM states and audit details read on the accreditation pages.</summary>
public static class TsmDisplay
{
    /// <summary>The chip colour of a state.</summary>
    public static Color StateColor(TsmState state) => state switch
    {
        TsmState.PendingApproval => Color.Warning,
        TsmState.Active => Color.Success,
        TsmState.Rejected => Color.Default,
        TsmState.Suspended => Color.Secondary,
        TsmState.Revoked => Color.Error,
        _ => Color.Default,
    };

    /// <summary>The state in words.</summary>
    public static string StateText(TsmState state) => state switch
    {
        TsmState.PendingApproval => "Pending approval",
        TsmState.Active => "Active",
        TsmState.Rejected => "Rejected",
        TsmState.Suspended => "Suspended",
        TsmState.Revoked => "Revoked",
        _ => state.ToString(),
    };

    /// <summary>
    /// The details of an audit record as readable lines: <c>field: value</c>, and <c>field: before → after</c> where the
    /// record holds a before and an after; recorded times in the portal's format (<see cref="TimeDisplay"/>).
    /// </summary>
    public static IReadOnlyList<string> DetailLines(string detailsJson)
    {
        var lines = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(detailsJson) ? "{}" : detailsJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return [detailsJson];
            }

            var hasBefore = root.TryGetProperty("before", out var before);
            var hasAfter = root.TryGetProperty("after", out var after);
            foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("before" or "after")))
            {
                Flatten(Label(property.Name), property.Value, lines);
            }

            if (hasBefore && hasAfter && before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in after.EnumerateObject())
                {
                    var old = before.TryGetProperty(property.Name, out var b) ? Scalar(b) : "-";
                    lines.Add($"{Label(property.Name)}: {old} → {Scalar(property.Value)}");
                }
            }
            else if (hasBefore || hasAfter)
            {
                lines.Add($"state: {(hasBefore ? Scalar(before) : "-")} → {(hasAfter ? Scalar(after) : "-")}");
            }
        }
        catch (JsonException)
        {
            lines.Add(detailsJson);
        }

        return lines;
    }

    private static void Flatten(string prefix, JsonElement value, List<string> lines)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                Flatten($"{prefix} {Label(property.Name)}", property.Value, lines);
            }

            return;
        }

        // A thumbprint reads in colon-separated bytes, as on the certificate table (and it wraps between them).
        var text = Scalar(value);
        lines.Add($"{prefix}: {(prefix.EndsWith("thumbprint", StringComparison.Ordinal) ? Thumbprint.Grouped(text) : text)}");
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.String => value.GetString() is { } text ? TimeDisplay.Value(text) : "-",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "(none)" : string.Join(", ", value.EnumerateArray().Select(Scalar)),
        JsonValueKind.Object => string.Join(", ", value.EnumerateObject().Select(p => $"{Label(p.Name)} {Scalar(p.Value)}")),
        _ => value.GetRawText(),
    };

    // camelCase to words: "rateLimitPerSecond" -> "rate limit per second".
    private static string Label(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
