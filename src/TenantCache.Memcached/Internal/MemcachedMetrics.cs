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

    public static readonly Counter<long> NodeUp = Meter.CreateCounter<long>("tenantcache.memcached.node_up", "{event}", "Times a server marked down came back through a successful probe.");

    public static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>("tenantcache.memcached.connections.opened", "{connection}", "Connections opened.");

    public static readonly Counter<long> ConnectionsClosed = Meter.CreateCounter<long>("tenantcache.memcached.connections.closed", "{connection}", "Connections closed (failure, stall or disposal).");

    public static readonly Counter<long> Stalls = Meter.CreateCounter<long>("tenantcache.memcached.stalls", "{connection}", "Connections closed by the stall detector.");

    public static readonly Counter<long> BacklogFull = Meter.CreateCounter<long>("tenantcache.memcached.backlog_full", "{request}", "Requests refused because the connection's backlog was full.");

    public static readonly Counter<long> Resubmitted = Meter.CreateCounter<long>("tenantcache.memcached.resubmitted", "{request}", "Requests never written on a connection that died, sent again on another.");

    public static KeyValuePair<string, object?> ServerTag(string server) => new("server", server);
}
