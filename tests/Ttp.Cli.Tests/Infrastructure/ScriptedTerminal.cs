namespace Ttp.Cli.Tests.Infrastructure;

/// <summary>A terminal that types the given lines, one per prompt, then ends input; remembers prompts and lines shown.</summary>
internal sealed class ScriptedTerminal(params string[] typed) : ISecretTerminal
{
    private readonly Queue<string> _typed = new(typed);

    public List<string> Prompts { get; } = [];

    public List<string> Shown { get; } = [];

    public int ReadSecret(string prompt, Span<char> buffer, out bool tooLong)
    {
        Prompts.Add(prompt);
        tooLong = false;
        if (!_typed.TryDequeue(out var line))
        {
            return -1;
        }

        if (line.Length > buffer.Length)
        {
            tooLong = true;
            line = line[..buffer.Length];
        }

        line.AsSpan().CopyTo(buffer);
        return line.Length;
    }

    public void WriteLine(string text) => Shown.Add(text);
}
