namespace Ttp.Cli.Logging;

/// <summary>A run's standard error, and whether it is a terminal (progress is shown there).</summary>
internal sealed record CliStderr(TextWriter Writer, bool IsTerminal);
