using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TenantCache.Benchmarks.Soak;

/// <summary>
/// What the library says about itself during a soak, through its public channels only (so the soak
/// also runs against an older commit): the counters of the meters <c>TenantCache</c> and
/// <c>TenantCache.Memcached</c>, summed by instrument name, and every log event, counted by level and
/// by event name. Nothing is written anywhere: log lines are counted, not printed.
/// </summary>
internal sealed class SoakTelemetry : ILoggerProvider
{
    /// <summary>The meters listened to, by name (string literals: the soak uses no internals).</summary>
    public static readonly string[] Meters = ["TenantCache", "TenantCache.Memcached"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);
    private readonly long[] _byLevel = new long[7];

    public SoakTelemetry()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        _listener.Start();
    }

    /// <summary>The sum of a counter so far (0 when it never fired or does not exist in this version).</summary>
    public long Counter(string name) => _counters.GetValueOrDefault(name);

    /// <summary>Log events of this name so far (the <see cref="EventId.Name"/>, e.g. NodeDown).</summary>
    public long Events(string name) => _events.GetValueOrDefault(name);

    /// <summary>Log lines written at this level so far (every event the library logged, Trace included).</summary>
    public long Lines(LogLevel level) => Interlocked.Read(ref _byLevel[(int)level]);

    public ILogger CreateLogger(string categoryName) => new Counting(this);

    public void Dispose() => _listener.Dispose();

    private sealed class Counting(SoakTelemetry owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None)
            {
                return;
            }

            Interlocked.Increment(ref owner._byLevel[(int)logLevel]);
            owner._events.AddOrUpdate(eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, old) => old + 1);
        }
    }
}
