namespace TenantCache.Memcached.Internal;

/// <summary>
/// What a connection needs to police itself (the stall limit, the heartbeat, the backlog bound) and to
/// open (TLS and credentials; <see cref="ConnectionSecurity.None"/> for neither).
/// </summary>
internal sealed record ConnectionSettings(TimeSpan StallTimeout, TimeSpan HeartbeatInterval, int MaxPendingRequests, ConnectionSecurity Security);
