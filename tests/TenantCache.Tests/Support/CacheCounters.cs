using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TenantCache.Tests.Support;

/// <summary>Counts the engine's instruments for one application (tests run in parallel; each uses its own application).</summary>
public sealed class CacheCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public CacheCounters(string application)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TenantCacheDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "application" && Equals(tag.Value, application))
                {
                    _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The total of an instrument (<c>tenantcache.writes</c>, ...) so far.</summary>
    public long this[string instrument] => _totals.TryGetValue(instrument, out var total) ? total : 0;

    public void Dispose() => _listener.Dispose();
}
