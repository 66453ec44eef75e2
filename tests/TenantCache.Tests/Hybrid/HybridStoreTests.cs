using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Hybrid;

/// <summary>The HybridCache contract on the in-process store.</summary>
public sealed class MemoryHybridTests : HybridContractTests
{
    protected override Task<ICacheStore> CreateStoreAsync() => Task.FromResult<ICacheStore>(new MemoryCacheStore());
}

/// <summary>The HybridCache contract on one real memcached process.</summary>
public sealed class MemcachedHybridTests(MemcachedServerFixture fixture) : HybridContractTests, IClassFixture<MemcachedServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemcachedCacheStore(TestOptions.Relaxed(fixture.Server.Endpoint)));
}
