using TenantCache.Harness;
using TenantCache.Redis;

namespace TenantCache.Tests.Redis.Infrastructure;

/// <summary>One Redis server (no persistence) on a free loopback port, shared by a test class. A missing binary fails, with how to install it.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A store of its own over the fixture's server.</summary>
    public RedisCacheStore NewStore(int maxValueLength = RedisStoreOptions.DefaultMaxValueLength) =>
        new(new RedisStoreOptions { Configuration = Server.Endpoint, MaxValueLength = maxValueLength });
}
