using TenantCache.Harness;
using TenantCache.Redis;

namespace TenantCache.Tests.Redis.Infrastructure;

/// <summary>A 3-primary Redis Cluster on loopback, shared by a test class.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync(3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public RedisCacheStore NewStore() => new(new RedisStoreOptions { Configuration = Cluster.Configuration });
}
