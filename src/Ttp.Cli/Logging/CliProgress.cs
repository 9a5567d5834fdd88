using System.CommandLine;
using Ttp.Cli.Commands;

namespace Ttp.Cli.Logging;

/// <summary>
/// The progress of a long command (<c>lmk rotate</c>, <c>audit verify</c>, <c>audit export</c>) on standard error: a line
/// at the first report and then at most one a second, and a last line when done. Shown when standard error is a terminal,
/// or with <c>--progress</c>; elsewhere the command is created without one (a script sees only warnings and errors).
/// </summary>
internal sealed class CliProgress : IProgress<long>, IProgress<int>
{
    /// <summary>The least time between two lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TextWriter _stderr;
    private readonly string _operation;
    private readonly string _unit;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long? _shownAt;

    public CliProgress(TextWriter stderr, string operation, string unit, TimeProvider time)
    {
        _stderr = stderr;
        _operation = operation;
        _unit = unit;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>The progress of <paramref name="operation"/> for this run, or null when it is not to be shown.</summary>
    public static CliProgress? For(ParseResult parse, string operation, string unit) =>
        CliServices.Stderr is { } stderr && (stderr.IsTerminal || parse.GetValue(AdminCommands.Progress))
            ? new CliProgress(stderr.Writer, operation, unit, TimeProvider.System)
            : null;

    public void Report(long value)
    {
        var now = _time.GetTimestamp();
        lock (_stderr)
        {
            if (_shownAt is { } shown && _time.GetElapsedTime(shown, now) < Interval)
            {
                return;
            }

            _shownAt = now;
            _stderr.WriteLine(FormattableString.Invariant($"ttpctl: {_operation}: {value} {_unit} so far"));
            _stderr.Flush();
        }
    }

    public void Report(int value) => Report((long)value);

    /// <summary>The last line: how many in all, and how long it took.</summary>
    public void Done(long total)
    {
        var seconds = _time.GetElapsedTime(_started).TotalSeconds;
        lock (_stderr)
        {
            _stderr.WriteLine(FormattableString.Invariant($"ttpctl: {_operation}: {total} {_unit}, done in {seconds:0.0} s"));
            _stderr.Flush();
        }
    }
}
