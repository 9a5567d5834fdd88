using Ttp.Crypto;

namespace Ttp.Cli;

/// <summary>
/// Key components as <c>ttpctl</c> reads them: the one parser of hex components, and the two ways in of
/// <c>--components-stdin</c>, never a command-line argument (every local user reads those in <c>ps</c>, and the shell
/// keeps them in its history). Redirected standard input: one component a line, blank lines ignored, surrounding
/// whitespace trimmed. A terminal: a prompt per component, read without echo, its check value shown, an empty line to
/// finish. Every component is checked (hex, length, count: <see cref="MinimumCount"/> to <see cref="MaximumCount"/>)
/// before anything is combined; an error names the line or the component, never its value.
/// </summary>
/// <remarks>
/// A line is read character by character into a pinned buffer that is cleared after use, and decoded from there: no
/// component becomes a string. The components returned are the caller's to clear (<see cref="Clear"/>); on an error
/// the ones already read are cleared here.
/// </remarks>
internal static class ComponentInput
{
    /// <summary>The option that reads the components from standard input.</summary>
    public const string StdinOption = "--components-stdin";

    /// <summary>The fewest components of a key.</summary>
    public const int MinimumCount = KeyComponents.MinimumCount;

    /// <summary>The most components of a key.</summary>
    public const int MaximumCount = 9;

    /// <summary>The longest line accepted (a component is at most 64 hex digits; the rest is room for whitespace).</summary>
    internal const int LineCapacity = 256;

    /// <summary>
    /// Parses key components given as hex strings (named "component N" in errors): <c>crypto components combine</c>,
    /// the by-hand tool.
    /// </summary>
    public static List<byte[]> Parse(string[] texts)
    {
        var parts = new List<byte[]>(texts.Length);
        try
        {
            for (var i = 0; i < texts.Length; i++)
            {
                parts.Add(Parse(texts[i].AsSpan(), $"component {i + 1}"));
            }

            return parts;
        }
        catch
        {
            Clear(parts);
            throw;
        }
    }

    /// <summary>Parses one component; the error names <paramref name="field"/>, never the value.</summary>
    public static byte[] Parse(ReadOnlySpan<char> text, string field) => Hex.Parse(text, field);

    /// <summary>
    /// Reads the components of <c>--components-stdin</c>: prompts on <see cref="CliInput.Terminal"/> when standard
    /// input is a terminal, else reads the lines of <see cref="CliInput.Stdin"/>.
    /// </summary>
    public static List<byte[]> Read(CliInput input, ComponentShape shape) =>
        input.Terminal is { } terminal ? Prompt(terminal, shape) : ReadLines(input.Stdin, shape);

    /// <summary>Reads one component a line until the end of <paramref name="reader"/>.</summary>
    public static List<byte[]> ReadLines(TextReader reader, ComponentShape shape)
    {
        var parts = new List<byte[]>(MaximumCount);
        var line = GC.AllocateArray<char>(LineCapacity, pinned: true);
        try
        {
            var number = 0;
            while (ReadLine(reader, line, out var length, out var tooLong))
            {
                number++;
                var field = $"{StdinOption} line {number}";
                if (tooLong)
                {
                    throw new CliUsageException($"{field}: longer than {LineCapacity} characters; expected {shape.Expected}");
                }

                var text = line.AsSpan(0, length).Trim();
                if (text.IsEmpty)
                {
                    continue;
                }

                if (parts.Count == MaximumCount)
                {
                    throw new CliUsageException($"{field}: a key has at most {MaximumCount} components, this is component {MaximumCount + 1}");
                }

                parts.Add(shape.Check(Parse(text, field), field, parts));
                line.AsSpan().Clear();
            }

            RequireMinimum(parts, StdinOption);
            return parts;
        }
        catch
        {
            Clear(parts);
            throw;
        }
        finally
        {
            line.AsSpan().Clear();
        }
    }

    /// <summary>
    /// Prompts for one component after another without echo, shows each one's check value, and stops at an empty line,
    /// at the end of input or after <see cref="MaximumCount"/> components.
    /// </summary>
    public static List<byte[]> Prompt(ISecretTerminal terminal, ComponentShape shape)
    {
        var parts = new List<byte[]>(MaximumCount);
        var line = GC.AllocateArray<char>(LineCapacity, pinned: true);
        try
        {
            while (parts.Count < MaximumCount)
            {
                var number = parts.Count + 1;
                var length = terminal.ReadSecret($"Component {number} (empty line to finish): ", line, out var tooLong);
                if (length < 0)
                {
                    break;
                }

                var field = $"component {number}";
                if (tooLong)
                {
                    throw new CliUsageException($"{field}: longer than {LineCapacity} characters; expected {shape.Expected}");
                }

                var text = line.AsSpan(0, length).Trim();
                if (text.IsEmpty)
                {
                    break;
                }

                var part = shape.Check(Parse(text, field), field, parts);
                line.AsSpan().Clear();
                parts.Add(part);
                terminal.WriteLine($"Component {number} check value: {Hex.Encode(shape.CheckValue(part))}");
            }

            RequireMinimum(parts, "components");
            return parts;
        }
        catch
        {
            Clear(parts);
            throw;
        }
        finally
        {
            line.AsSpan().Clear();
        }
    }

    /// <summary>Clears key components.</summary>
    public static void Clear(List<byte[]> parts)
    {
        foreach (var part in parts)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(part);
        }
    }

    private static void RequireMinimum(List<byte[]> parts, string field)
    {
        if (parts.Count < MinimumCount)
        {
            throw new CliUsageException($"{field}: at least {MinimumCount} components are required, found {parts.Count}");
        }
    }

    // One line into buffer (its end not included); false at the end of input when nothing was read. Characters beyond
    // the buffer are consumed and dropped, and reported through tooLong.
    private static bool ReadLine(TextReader reader, char[] buffer, out int length, out bool tooLong)
    {
        length = 0;
        tooLong = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (c == '\n')
            {
                return true;
            }

            if (length < buffer.Length)
            {
                buffer[length++] = (char)c;
            }
            else
            {
                tooLong = true;
            }
        }

        return any;
    }
}

/// <summary>
/// What the components of one key must be: the lengths a component may have (all components of a key have the same),
/// and the check value shown for each one at the terminal.
/// </summary>
internal sealed class ComponentShape
{
    private readonly int[] _lengths;

    public ComponentShape(Func<byte[], byte[]> checkValue, params int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(checkValue);
        ArgumentOutOfRangeException.ThrowIfZero(lengths.Length);
        CheckValue = checkValue;
        _lengths = lengths;
    }

    /// <summary>The check value of one component (3 bytes).</summary>
    public Func<byte[], byte[]> CheckValue { get; }

    /// <summary>"16 bytes (32 hex digits)", or "16, 24 or 32 bytes (32, 48 or 64 hex digits)".</summary>
    public string Expected => _lengths.Length == 1
        ? $"{_lengths[0]} bytes ({_lengths[0] * 2} hex digits)"
        : $"{Either(_lengths)} bytes ({Either(_lengths.Select(l => l * 2))} hex digits)";

    /// <summary>Returns <paramref name="part"/> when its length fits (and is that of the first component); else clears it
    /// and throws naming <paramref name="field"/>.</summary>
    public byte[] Check(byte[] part, string field, List<byte[]> before)
    {
        string? error = null;
        if (!_lengths.Contains(part.Length))
        {
            error = $"{field}: expected {Expected}, found {part.Length} bytes";
        }
        else if (before.Count > 0 && before[0].Length != part.Length)
        {
            error = $"{field}: expected {before[0].Length} bytes like the first component, found {part.Length} bytes";
        }

        if (error is null)
        {
            return part;
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(part);
        throw new CliUsageException(error);
    }

    private static string Either(IEnumerable<int> values)
    {
        var texts = values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return texts.Length == 1 ? texts[0] : string.Join(", ", texts[..^1]) + " or " + texts[^1];
    }
}
