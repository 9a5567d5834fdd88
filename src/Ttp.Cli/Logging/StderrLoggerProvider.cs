using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ttp.Cli.Logging;

/// <summary>
/// <c>ttpctl</c>'s log: one line per entry on standard error (stdout stays the JSON result), e.g.
/// <c>ttpctl: warning: Created a new software LMK ... [Ttp.Domain.KeyStore.FileLmkProvider 4100]</c>. An exception adds its
/// message only, never its type or stack trace (docs/CONVENTIONS.md 7). Its level is set under the provider's alias,
/// <c>Logging:Ttpctl:LogLevel</c> (Warning unless configured or <c>--verbose</c>): the portal's <c>Logging:LogLevel</c>,
/// read from the same appsettings.json, is the portal's.
/// </summary>
/// <remarks>
/// The framework's console logger writes only to the process's console, on a thread of its own; this one writes to the
/// run's error stream (a test's writer too) at once, so that a warning precedes the result or the error line.
/// </remarks>
[ProviderAlias(Alias)]
internal sealed class StderrLoggerProvider(TextWriter stderr) : ILoggerProvider
{
    /// <summary>The name under <c>Logging:</c> that configures this provider's levels.</summary>
    public const string Alias = "Ttpctl";

    private readonly ConcurrentDictionary<string, StderrLogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new StderrLogger(stderr, name));

    public void Dispose() => _loggers.Clear();

    private sealed class StderrLogger(TextWriter stderr, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The level is the logging framework's filter (Logging:Ttpctl:LogLevel, --verbose): it asks only when it lets through.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += $" ({exception.Message})";
            }

            var line = $"ttpctl: {Name(logLevel)}: {message.ReplaceLineEndings(" ").Trim()} [{category} {eventId.Id}]";
            lock (stderr)
            {
                stderr.WriteLine(line);
                stderr.Flush();
            }
        }

        private static string Name(LogLevel level) => level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            LogLevel.Critical => "critical",
            LogLevel.None => "none",
            _ => level.ToString(),
        };
    }
}
