using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Stores;

namespace TenantCache.Tests.Hosting;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddTenantCache_registers_a_working_cache_over_the_memory_store()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddTenantCache(o => o.Application = "orders");
        Assert.Same(services, builder.Services);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var cache = provider.GetRequiredService<ITenantCache>();
        Assert.Equal("orders", cache.Application);
        Assert.IsType<MemoryCacheStore>(provider.GetRequiredService<ICacheStore>());
        Assert.Same(cache, provider.GetRequiredService<ITenantCache>());

        await cache.Tenant("t").SetAsync("k", "v");
        Assert.Equal("v", (await cache.Tenant("t").GetAsync<string>("k")).Value);
    }

    [Fact]
    public void A_store_registered_before_AddTenantCache_is_kept()
    {
        var store = new MemoryCacheStore();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ICacheStore>(store);
        services.AddTenantCache(o => o.Application = "orders");
        using var provider = services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<ICacheStore>());
    }

    [Fact]
    public void Invalid_options_fail_when_resolved()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(o => o.Application = " ");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITenantCache>());
        Assert.Contains("TenantCacheOptions.Application", error.Message);
    }
}
