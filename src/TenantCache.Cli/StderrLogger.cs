using Microsoft.Extensions.Logging;

namespace TenantCache.Cli;

/// <summary>
/// One short line per event on standard error ("warn: message (cause)"), so a command's standard
/// output stays its own and an operator sees what failed without stack traces.
/// </summary>
internal sealed class StderrLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StderrLogger(minimum);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                LogLevel.Critical => "crit",
                LogLevel.Information => "info",
                _ => "dbug",
            };
            var cause = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            Console.Error.WriteLine($"{level}: {formatter(state, exception)}{cause}");
        }
    }
}
