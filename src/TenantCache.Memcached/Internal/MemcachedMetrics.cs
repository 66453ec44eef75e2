using System.Diagnostics.Metrics;

namespace TenantCache.Memcached.Internal;

/// <summary>Instruments of the <c>TenantCache.Memcached</c> meter, tagged with the server.</summary>
internal static class MemcachedMetrics
{
    public const string MeterName = "TenantCache.Memcached";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("tenantcache.memcached.requests", "{request}", "Requests sent to memcached.");

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("tenantcache.memcached.failures", "{request}", "Requests that failed (connection, timeout, protocol or server error).");

    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("tenantcache.memcached.timeouts", "{request}", "Requests that timed out.");

    public static readonly Counter<long> NodeDown = Meter.CreateCounter<long>("tenantcache.memcached.node_down", "{event}", "Times a server was marked down.");

    public static KeyValuePair<string, object?> ServerTag(string server) => new("server", server);
}
