namespace TenantCache;

/// <summary>
/// Names to subscribe to, for example with OpenTelemetry:
/// <c>tracing.AddSource(TenantCacheDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(TenantCacheDiagnostics.MeterName)</c>.
/// </summary>
public static class TenantCacheDiagnostics
{
    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> of cache operations: one activity per public
    /// call (get, set, get-or-create, remove, invalidate, tag invalidate). Nothing is allocated while
    /// nobody listens.
    /// </summary>
    public const string ActivitySourceName = "TenantCache";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the engine's counters (hits, misses, writes, ...).</summary>
    public const string MeterName = "TenantCache";
}
