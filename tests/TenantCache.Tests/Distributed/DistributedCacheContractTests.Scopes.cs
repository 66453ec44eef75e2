using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Distributed;
using TenantCache.Tenancy;

namespace TenantCache.Tests.Distributed;

/// <summary>Isolation per application and per tenant, O(1) tenant clear, the current tenant, large values.</summary>
public abstract partial class DistributedCacheContractTests
{
    [Fact]
    public async Task Two_applications_on_one_store_never_see_each_others_keys()
    {
        var shop = NewApp(name: "shop-" + Guid.NewGuid().ToString("N")[..8]).AsDistributedCache();
        var blog = NewApp(name: "blog-" + Guid.NewGuid().ToString("N")[..8]).AsDistributedCache();
        await shop.SetAsync("session-42", [1], FiveMinutes);
        Assert.Null(await blog.GetAsync("session-42"));

        await blog.SetAsync("session-42", [2], FiveMinutes);
        await blog.RemoveAsync("session-42");
        Assert.Equal([1], await shop.GetAsync("session-42"));
    }

    [Fact]
    public async Task Tenants_are_isolated_and_one_is_cleared_in_a_single_store_write()
    {
        var store = new CountingStore(Store);
        var app = NewApp(store);
        var acme = app.Tenant("acme").AsDistributedCache();
        var globex = app.Tenant("globex").AsDistributedCache();
        var shared = app.AsDistributedCache();
        for (var i = 0; i < 50; i++)
        {
            await acme.SetAsync("k" + i, [1], FiveMinutes);
        }

        await globex.SetAsync("k0", [2], FiveMinutes);
        await shared.SetAsync("k0", [3], FiveMinutes);
        Assert.Equal([1], await acme.GetAsync("k0"));

        var (sets, deletes) = (store.Sets, store.Deletes);
        await app.Tenant("acme").InvalidateAsync();
        Assert.Equal((sets + 1, deletes), (store.Sets, store.Deletes)); // O(1): one token written, nothing deleted

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(await acme.GetAsync("k" + i));
        }

        Assert.Equal([2], await globex.GetAsync("k0"));
        Assert.Equal([3], await shared.GetAsync("k0"));
    }

    [Fact]
    public async Task The_current_tenant_is_resolved_on_every_call()
    {
        var app = NewApp();
        var cache = new CurrentTenantCache(app, new AmbientTenant()).AsDistributedCache();
        using (AmbientTenant.Use("acme"))
        {
            await cache.SetAsync("cart", [1], FiveMinutes);
        }

        using (AmbientTenant.Use("globex"))
        {
            Assert.Null(await cache.GetAsync("cart"));
            cache.Set("cart", [2], FiveMinutes);
        }

        using (AmbientTenant.Use("acme"))
        {
            Assert.Equal([1], cache.Get("cart"));
        }

        Assert.Equal([2], await app.Tenant("globex").AsDistributedCache().GetAsync("cart"));
        Assert.Null(await app.AsDistributedCache().GetAsync("cart"));
    }

    [Fact]
    public async Task Without_a_current_tenant_every_call_throws_and_nothing_falls_back_to_the_application()
    {
        var app = NewApp();
        await app.AsDistributedCache().SetAsync("cart", [7], FiveMinutes);
        var cache = new CurrentTenantCache(app, new AmbientTenant()).AsDistributedCache();
        var writer = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Throws<MissingTenantException>(() => cache.Get("cart"));
        await Assert.ThrowsAsync<MissingTenantException>(() => cache.GetAsync("cart"));
        Assert.Throws<MissingTenantException>(() => cache.TryGet("cart", writer));
        await Assert.ThrowsAsync<MissingTenantException>(() => cache.SetAsync("cart", [1], FiveMinutes));
        Assert.Throws<MissingTenantException>(() => cache.Set("cart", [1], FiveMinutes));
        await Assert.ThrowsAsync<MissingTenantException>(() => cache.RefreshAsync("cart"));
        await Assert.ThrowsAsync<MissingTenantException>(() => cache.RemoveAsync("cart"));
        Assert.Equal(0, writer.WrittenCount);
        Assert.Equal([7], await app.AsDistributedCache().GetAsync("cart"));
    }

    [Fact]
    public async Task A_value_over_the_item_limit_is_a_typed_error_at_the_call_and_nothing_is_sent()
    {
        var store = new CountingStore(Store);
        var cache = NewApp(store).AsDistributedCache();
        await cache.SetAsync("k", [1], FiveMinutes);
        var sets = store.Sets;

        var huge = new byte[store.MaxValueLength];
        var error = await Assert.ThrowsAsync<CacheValueTooLargeException>(() => cache.SetAsync("k", huge, FiveMinutes));
        Assert.True(error.ActualBytes > error.MaxBytes);
        Assert.Equal(store.MaxValueLength, error.MaxBytes);
        Assert.Throws<CacheValueTooLargeException>(() => cache.Set("k", new System.Buffers.ReadOnlySequence<byte>(huge), FiveMinutes));
        Assert.Equal(sets, store.Sets);

        // The caller knows the write failed; the previous value is still the one served.
        Assert.Equal([1], await cache.GetAsync("k"));
    }

    [Fact]
    public async Task The_largest_value_that_fits_is_stored()
    {
        var cache = NewCache();
        var value = new byte[Store.MaxValueLength - 512];
        Random.Shared.NextBytes(value);
        await cache.SetAsync("big", value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        Assert.Equal(value, await cache.GetAsync("big"));
    }
}
