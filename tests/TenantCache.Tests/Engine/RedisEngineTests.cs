using TenantCache.Stores;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Engine;

/// <summary>The whole engine contract on one real Redis server (standalone, no persistence).</summary>
public sealed class RedisEngineTests(RedisServerFixture fixture) : EngineContractTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The engine contract on Redis with no token reuse (every read reads every token).</summary>
public sealed class RedisNoReuseEngineTests(RedisServerFixture fixture) : EngineContractTests, IClassFixture<RedisServerFixture>
{
    protected override TimeSpan? TokenReuseWindow => TimeSpan.Zero;

    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The whole engine contract on a 3-primary Redis Cluster started by the test: no CROSSSLOT, every key placed by its own name.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterEngineTests(RedisClusterFixture fixture) : EngineContractTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}
