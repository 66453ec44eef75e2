using System.Diagnostics.Metrics;

namespace TenantCache.Cli.Check;

/// <summary>
/// Listens to the engine's lease instruments (meter <c>TenantCache</c>) for the applications of one run
/// (their names start with the run's prefix, so concurrent runs in one process do not mix), counts them,
/// and marks the operation that took a lease over (<see cref="Operation.TookOver"/>): the engine records
/// the takeover in the caller's asynchronous flow, where <see cref="OperationLogger.Current"/> names it.
/// </summary>
internal sealed class LeaseMeter : IDisposable
{
    /// <summary>The instruments counted, by name.</summary>
    public const string Takeovers = "tenantcache.leases.takeovers";

    private static readonly string[] s_counted =
        [Takeovers, "tenantcache.leases.won", "tenantcache.leases.marked", "tenantcache.leases.waited", "tenantcache.leases.gave_up",
            "tenantcache.leases.superseded", "tenantcache.stale.served", "tenantcache.failsafe.served", "tenantcache.factory.timeouts"];

    private readonly MeterListener _listener = new();
    private readonly string _applicationPrefix;
    private readonly long[] _counts = new long[s_counted.Length];

    public LeaseMeter(string applicationPrefix)
    {
        _applicationPrefix = applicationPrefix;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TenantCacheDiagnostics.MeterName && Array.IndexOf(s_counted, instrument.Name) >= 0)
            {
                listener.EnableMeasurementEvents(instrument, Array.IndexOf(s_counted, instrument.Name));
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The count of <paramref name="instrument"/> (one of the counted names) for this run's applications.</summary>
    public long Count(string instrument)
    {
        var i = Array.IndexOf(s_counted, instrument);
        return i < 0 ? 0 : Interlocked.Read(ref _counts[i]);
    }

    /// <summary>"won=12 marked=30 ..." for the report.</summary>
    public string Line() => string.Join(' ', s_counted.Select((name, i) => name.Replace("tenantcache.", "", StringComparison.Ordinal) + "=" + Interlocked.Read(ref _counts[i]).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "application" && tag.Value is string application && application.StartsWith(_applicationPrefix, StringComparison.Ordinal))
            {
                var index = (int)state!;
                Interlocked.Add(ref _counts[index], value);
                if (index == 0 && OperationLogger.Current.Value is { } op)
                {
                    op.TookOver = true;
                }

                return;
            }
        }
    }
}
