using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Distributed;
using TenantCache.Stores;

namespace TenantCache.Tests.Distributed;

/// <summary>
/// The contract on the in-process store, whose TTLs run on the same fake clock as the engine: here
/// sliding windows are exact to the millisecond, and can be shown to be.
/// </summary>
public sealed class MemoryDistributedCacheTests : DistributedCacheContractTests
{
    private static readonly DistributedCacheEntryOptions OneSecondSliding = new() { SlidingExpiration = TimeSpan.FromSeconds(1) };

    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemoryCacheStore(new MemoryCacheStoreOptions(), Clock));

    [Fact]
    public async Task A_one_second_sliding_entry_read_every_half_second_lives_and_goes_one_second_after_the_last_read()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], OneSecondSliding);
        for (var i = 0; i < 10; i++)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(500));
            Assert.NotNull(await cache.GetAsync("k"));
        }

        Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.NotNull(cache.Get("k")); // this read renews it once more
        Clock.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task A_sub_second_sliding_window_is_kept_to_the_millisecond()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMilliseconds(250) });
        for (var i = 0; i < 8; i++)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(249));
            Assert.NotNull(await cache.GetAsync("k"));
        }

        Clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Refresh_renews_a_sliding_entry_without_reading_it_out()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });
        Clock.Advance(TimeSpan.FromSeconds(8));
        await cache.RefreshAsync("k");
        Clock.Advance(TimeSpan.FromSeconds(8));
        cache.Refresh("k");
        Clock.Advance(TimeSpan.FromSeconds(9)); // 25 s after the write, 9 s after the last refresh
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Refresh_never_extends_an_absolute_expiration()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10) });
        Clock.Advance(TimeSpan.FromSeconds(8));
        await cache.RefreshAsync("k");
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Refresh_of_an_invalidated_entry_touches_nothing()
    {
        var store = new CountingStore(Store);
        var tenant = NewApp(store).Tenant("t");
        var cache = tenant.AsDistributedCache();
        await cache.SetAsync("k", [1], OneSecondSliding);
        await cache.RefreshAsync("k");
        Assert.Equal(1, store.Touches);
        await tenant.InvalidateAsync();
        await cache.RefreshAsync("k");
        cache.Refresh("missing");
        Assert.Equal(1, store.Touches);
    }

    [Fact]
    public async Task A_sliding_window_past_24_days_is_kept_in_whole_seconds()
    {
        var cache = NewCache();
        var window = TimeSpan.FromDays(40) + TimeSpan.FromMilliseconds(300);
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = window });
        Clock.Advance(window - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromDays(40) + TimeSpan.FromMilliseconds(999));
        Assert.NotNull(await cache.GetAsync("k")); // the window was rounded up to the next second, never down
        Clock.Advance(TimeSpan.FromDays(40) + TimeSpan.FromSeconds(1));
        Assert.Null(await cache.GetAsync("k"));
    }
}
