namespace Ttp.Cli;

/// <summary>
/// What a <c>ttpctl</c> run reads: standard input, and the terminal when standard input is one (not redirected;
/// null otherwise), for prompts that must not echo.
/// </summary>
internal sealed record CliInput(TextReader Stdin, ISecretTerminal? Terminal);

/// <summary>The terminal of an interactive run: prompts and check values for the operator, lines read without echo.</summary>
internal interface ISecretTerminal
{
    /// <summary>Shows <paramref name="prompt"/> and reads one line into <paramref name="buffer"/> without echoing it.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="buffer">Receives the line (its end not included); the caller clears it.</param>
    /// <param name="tooLong">True when the line did not fit in <paramref name="buffer"/> (the rest is dropped).</param>
    /// <returns>The number of characters read, or -1 at the end of input.</returns>
    int ReadSecret(string prompt, Span<char> buffer, out bool tooLong);

    /// <summary>Shows a line to the operator (never a secret).</summary>
    void WriteLine(string text);
}

/// <summary>
/// The process's console as <see cref="ISecretTerminal"/>: prompts on stderr (stdout carries the JSON result), keys
/// read with <see cref="Console.ReadKey(bool)"/> and not shown; Backspace edits, Ctrl+D on an empty line ends input.
/// </summary>
internal sealed class ConsoleTerminal : ISecretTerminal
{
    public int ReadSecret(string prompt, Span<char> buffer, out bool tooLong)
    {
        Console.Error.Write(prompt);
        var length = 0;
        tooLong = false;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return length;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (length > 0)
                {
                    buffer[--length] = '\0';
                }

                continue;
            }

            if (length == 0 && !tooLong && key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            {
                Console.Error.WriteLine();
                return -1;
            }

            if (char.IsControl(key.KeyChar))
            {
                continue;
            }

            if (length < buffer.Length)
            {
                buffer[length++] = key.KeyChar;
            }
            else
            {
                tooLong = true;
            }
        }
    }

    public void WriteLine(string text) => Console.Error.WriteLine(text);
}
