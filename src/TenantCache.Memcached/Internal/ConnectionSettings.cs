namespace TenantCache.Memcached.Internal;

/// <summary>What a connection needs to police itself: the stall limit, the heartbeat and the backlog bound.</summary>
internal sealed record ConnectionSettings(TimeSpan StallTimeout, TimeSpan HeartbeatInterval, int MaxPendingRequests);
