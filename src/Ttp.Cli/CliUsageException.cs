namespace Ttp.Cli;

/// <summary>Arguments that parse but do not fit together (e.g. one challenge without the other): exit 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
