namespace Ttp.TsmClient;

/// <summary>Prints one line per step as it happens: the step's name in a column, then what it did (check values, never a key).</summary>
internal sealed class StepWriter(TextWriter output)
{
    /// <summary>Writes <c>step  text</c> and flushes, so that a watcher sees each step when it happens.</summary>
    public void Write(string step, string text)
    {
        output.WriteLine($"{step,-8} {text}");
        output.Flush();
    }
}
