namespace TenantCache.Memcached.Internal;

/// <summary>What a connection needs to police itself: the stall limit, the heartbeat and the backlog bound.</summary>
internal sealed record ConnectionSettings(TimeSpan StallTimeout, TimeSpan HeartbeatInterval, int MaxPendingRequests)
{
    public static ConnectionSettings Default { get; } = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 4096);
}
