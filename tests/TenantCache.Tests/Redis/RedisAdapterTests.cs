using TenantCache.Stores;
using TenantCache.Tests.AspNetCore;
using TenantCache.Tests.Distributed;
using TenantCache.Tests.Hybrid;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

// The adapters' contract suites (output caching, IDistributedCache, HybridCache) on a real Redis,
// standalone and a 3-primary cluster, both started by the tests: the adapters know nothing of stores,
// so every test the memcached variants pass must pass here unchanged.

/// <summary>The output-cache contract on one real Redis server.</summary>
public sealed class RedisOutputCacheTests(RedisServerFixture fixture) : OutputCacheContractTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The output-cache contract on a 3-primary Redis Cluster: a response's entry, its tenant's and its tags' tokens on different shards.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterOutputCacheTests(RedisClusterFixture fixture) : OutputCacheContractTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The IDistributedCache contract on one real Redis server (TTLs on the server's clock, deadlines on the engine's).</summary>
public sealed class RedisDistributedCacheTests(RedisServerFixture fixture) : DistributedCacheContractTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The IDistributedCache contract on a 3-primary Redis Cluster.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterDistributedCacheTests(RedisClusterFixture fixture) : DistributedCacheContractTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The HybridCache contract on one real Redis server.</summary>
public sealed class RedisHybridTests(RedisServerFixture fixture) : HybridContractTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}

/// <summary>The HybridCache contract on a 3-primary Redis Cluster.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterHybridTests(RedisClusterFixture fixture) : HybridContractTests, IClassFixture<RedisClusterFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(fixture.NewStore());
}
