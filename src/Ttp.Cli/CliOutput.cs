using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ttp.Cli;

/// <summary>What <c>ttpctl</c> writes: one JSON document on stdout, one line on stderr for an error.</summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="value"/> as JSON on stdout, snake_case property names, nulls left out.</summary>
    public void WriteJson<T>(T value) => stdout.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Writes one line on stderr; newlines in the message are flattened so that it stays one line.</summary>
    public void WriteError(string message) =>
        stderr.WriteLine("ttpctl: " + message.ReplaceLineEndings(" ").Trim());
}
