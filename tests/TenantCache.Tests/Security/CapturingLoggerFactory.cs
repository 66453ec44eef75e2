using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TenantCache.Tests.Security;

/// <summary>Keeps every log line (message and exception text) of every category, to look for secrets in them.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Text)> Entries { get; } = new();

    /// <summary>Everything logged, as one string.</summary>
    public string AllText => string.Join('\n', Entries.Select(e => e.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((eventId, logLevel, formatter(state, exception) + "\n" + exception));
    }
}
