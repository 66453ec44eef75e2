using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.Hybrid;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Hybrid;

/// <summary>A store that is down: reads and writes fail open, removals and invalidations throw.</summary>
public sealed class HybridStoreFailureTests
{
    private static HybridCache Build(ICacheStore store)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(store);
        services.AddTenantCache(o => o.Application = "down").AsHybridCache(HybridCacheScope.Application);
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }

    [Fact]
    public async Task GetOrCreate_and_SetAsync_fail_open_while_removals_report_the_failure()
    {
        var cache = Build(new DownStore());
        var calls = 0;
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("computed", await cache.GetOrCreateAsync("k", _ => { calls++; return ValueTask.FromResult("computed"); }));
        }

        Assert.Equal(2, calls);
        await cache.SetAsync("k", "v", tags: ["t"]);
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await cache.RemoveAsync("k"));
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await cache.RemoveByTagAsync("t"));
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await cache.RemoveByTagAsync("*"));
    }
}
