namespace TenantCache.Memcached.Internal;

/// <summary>
/// How a connection reports to its node: <see cref="Failed"/> when it closes on a failure (feeds the
/// node's health), <see cref="Unsent"/> with the requests it accepted but never wrote, in order, for
/// the node to send once more on another connection.
/// </summary>
internal sealed record ConnectionCallbacks(
    Action<MemcachedConnection, Exception>? Failed,
    Action<IReadOnlyList<PendingRequest>, Exception>? Unsent);
