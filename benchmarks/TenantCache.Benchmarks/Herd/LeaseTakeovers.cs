using System.Diagnostics.Metrics;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// Listens to the counter <c>tenantcache.leases.takeovers</c> of the meter <c>TenantCache</c> in this
/// process: leases taken over by a waiter because their holder had not written back within the
/// lease's duration. <see cref="Exists"/> stays false while the engine has no such counter.
/// </summary>
internal sealed class LeaseTakeovers : IDisposable
{
    public const string InstrumentName = "tenantcache.leases.takeovers";

    private readonly MeterListener _listener = new();
    private long _count;
    private volatile bool _exists;

    public LeaseTakeovers()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TenantCacheDiagnostics.MeterName && instrument.Name == InstrumentName)
            {
                _exists = true;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    /// <summary>Whether the engine published the counter (it exists once the engine's meter is created).</summary>
    public bool Exists => _exists;

    /// <summary>Takeovers counted since this listener started.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
