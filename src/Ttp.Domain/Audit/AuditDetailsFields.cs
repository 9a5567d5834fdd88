using System.Globalization;
using System.Text.Json;

namespace Ttp.Domain.Audit;

/// <summary>
/// Flattens a record's Details JSON to (name, value) pairs in recorded order: nested objects give dotted names
/// (<c>checkValues.enc</c>), arrays and scalars their JSON text (strings unquoted). Text that is not a JSON object (a row
/// changed by hand) is returned whole as one field <c>details</c>, so the auditor sees what is stored.
/// </summary>
internal static class AuditDetailsFields
{
    /// <summary>The field name under which Details that are not a JSON object are shown.</summary>
    public const string RawName = "details";

    /// <summary>The fields of <paramref name="json"/>, and its <c>before</c>/<c>after</c> objects apart (null when absent).</summary>
    public static (List<AuditDetailField> Fields, List<AuditDetailField>? Before, List<AuditDetailField>? After) Flatten(string json)
    {
        var fields = new List<AuditDetailField>();
        List<AuditDetailField>? before = null;
        List<AuditDetailField>? after = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ([new AuditDetailField(RawName, json)], null, null);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.NameEquals("before") && before is null)
                {
                    before = [];
                    Add(before, string.Empty, property.Value);
                }
                else if (property.Value.ValueKind == JsonValueKind.Object && property.NameEquals("after") && after is null)
                {
                    after = [];
                    Add(after, string.Empty, property.Value);
                }
                else
                {
                    Add(fields, property.Name, property.Value);
                }
            }
        }
        catch (JsonException)
        {
            return ([new AuditDetailField(RawName, json)], null, null);
        }

        return (fields, before, after);
    }

    private static void Add(List<AuditDetailField> fields, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                Add(fields, name.Length == 0 ? property.Name : name + "." + property.Name, property.Value);
            }

            return;
        }

        fields.Add(new AuditDetailField(name, value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Null => "null",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        }));
    }
}
