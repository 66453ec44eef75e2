using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>Totals of the memcached meter's counters for one server.</summary>
internal sealed class ServerCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public ServerCounters(string server)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "TenantCache.Memcached")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server" && (string?)tag.Value == server)
                {
                    _totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
                }
            }
        });
        _listener.Start();
    }

    public long Get(string name) => _totals.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
