namespace TenantCache.Memcached.Internal;

/// <summary>The part of <see cref="MemcachedOptions"/> a node needs, frozen at construction.</summary>
internal sealed record NodeSettings(
    TimeSpan OperationTimeout,
    TimeSpan ConnectTimeout,
    int ConnectionsPerServer,
    int FailureThreshold,
    TimeSpan RetryDelay,
    TimeSpan MaxRetryDelay,
    ConnectionSettings Connection)
{
    public static NodeSettings From(MemcachedOptions options, ConnectionSecurity security) => new(
        options.OperationTimeout,
        options.ConnectTimeout,
        options.ConnectionsPerServer,
        options.FailureThreshold,
        options.RetryDelay,
        options.MaxRetryDelay,
        new ConnectionSettings(options.EffectiveStallTimeout, options.HeartbeatInterval, options.MaxPendingRequests, security));
}
