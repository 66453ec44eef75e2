using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TenantCache.Internal;

/// <summary>
/// The instruments of recompute leases, stale serving, fail-safe and factory timeouts, on the meter
/// <c>TenantCache</c> (an instance of its own, same name). Tagged with the application only.
/// </summary>
internal static class LeaseMetrics
{
    private static readonly Meter s_meter = new(TenantCacheDiagnostics.MeterName);

    private static readonly Counter<long> s_won = s_meter.CreateCounter<long>(
        "tenantcache.leases.won", description: "Recompute leases this process won: it ran the factory for the fleet.");

    private static readonly Counter<long> s_waited = s_meter.CreateCounter<long>(
        "tenantcache.leases.waited", description: "Calls that waited for another process's recompute instead of running the factory.");

    private static readonly Counter<long> s_takeovers = s_meter.CreateCounter<long>(
        "tenantcache.leases.takeovers", description: "Leases taken over from a holder that did not write back within Leases.Duration (a second factory run).");

    private static readonly Counter<long> s_superseded = s_meter.CreateCounter<long>(
        "tenantcache.leases.superseded", description: "Leases taken over at once because their holder computed for tokens an invalidation had replaced since.");

    private static readonly Counter<long> s_marked = s_meter.CreateCounter<long>(
        "tenantcache.leases.marked", description: "Invalidated or expired entries this process marked stale in the store (first detection).");

    private static readonly Counter<long> s_unleased = s_meter.CreateCounter<long>(
        "tenantcache.leases.gave_up", description: "Calls that waited out a lease, could not take it over, and computed without writing.");

    private static readonly Counter<long> s_stale = s_meter.CreateCounter<long>(
        "tenantcache.stale.served", description: "Stale values returned to calls that allow them (StaleFor) while the entry was recomputed.");

    private static readonly Counter<long> s_failSafe = s_meter.CreateCounter<long>(
        "tenantcache.failsafe.served", description: "Last good values returned because the factory failed or timed out (FailSafeFor).");

    private static readonly Counter<long> s_factoryTimeouts = s_meter.CreateCounter<long>(
        "tenantcache.factory.timeouts", description: "Factories that ran past their soft or hard timeout.");

    private static readonly Counter<long> s_earlyRefreshes = s_meter.CreateCounter<long>(
        "tenantcache.early_refreshes", description: "Entries refreshed in the background before they expired (EarlyRefresh).");

    public static void Won(string application) => s_won.Add(1, Tags(application));

    public static void Waited(string application) => s_waited.Add(1, Tags(application));

    public static void Takeover(string application) => s_takeovers.Add(1, Tags(application));

    public static void Superseded(string application) => s_superseded.Add(1, Tags(application));

    public static void Marked(string application) => s_marked.Add(1, Tags(application));

    public static void GaveUp(string application) => s_unleased.Add(1, Tags(application));

    public static void StaleServed(string application) => s_stale.Add(1, Tags(application));

    public static void FailSafeServed(string application) => s_failSafe.Add(1, Tags(application));

    public static void FactoryTimeout(string application) => s_factoryTimeouts.Add(1, Tags(application));

    public static void EarlyRefresh(string application) => s_earlyRefreshes.Add(1, Tags(application));

    private static TagList Tags(string application) => new() { { "application", application } };
}
