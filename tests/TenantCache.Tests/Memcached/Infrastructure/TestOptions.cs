using TenantCache.Memcached;

namespace TenantCache.Tests.Memcached.Infrastructure;

internal static class TestOptions
{
    /// <summary>
    /// Options for tests that are not about failures: timeouts long enough that a loaded 2-core
    /// machine never trips them, short enough that a hang still fails the test.
    /// </summary>
    public static MemcachedOptions Relaxed(string servers, int connectionsPerServer = 2) => new()
    {
        Servers = servers,
        OperationTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectionsPerServer = connectionsPerServer,
    };
}
