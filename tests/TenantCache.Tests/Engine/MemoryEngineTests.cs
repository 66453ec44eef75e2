using Microsoft.Extensions.Time.Testing;
using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache.Tests.Engine;

/// <summary>The engine contract on the in-process store, plus what only a controllable clock and memory bound can show.</summary>
public sealed class MemoryEngineTests : EngineContractTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemoryCacheStore(new MemoryCacheStoreOptions(), _time));

    private ApplicationCache TimedApp(ICacheStore? store = null) =>
        new(store ?? Store, new TenantCacheOptions { Application = "timed" }, timeProvider: _time);

    [Fact]
    public async Task Absolute_expiration_ends_an_entry()
    {
        var tenant = TimedApp().Tenant("t");
        await tenant.SetAsync("k", "v", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True((await tenant.GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task The_default_expiration_applies_when_none_is_given()
    {
        var app = new ApplicationCache(Store, new TenantCacheOptions { Application = "d", DefaultExpiration = TimeSpan.FromMinutes(1) }, timeProvider: _time);
        await app.Tenant("t").SetAsync("k", "v");
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await app.Tenant("t").GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await app.Tenant("t").GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Sliding_expiration_is_renewed_by_reads()
    {
        var tenant = TimedApp().Tenant("t");
        await tenant.SetAsync("k", "v", CacheEntryOptions.Sliding(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(8));
            Assert.True((await tenant.GetAsync<string>("k")).HasValue, $"read {i} should renew the entry");
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Sliding_expiration_never_outlives_the_absolute_one()
    {
        var tenant = TimedApp().Tenant("t");
        await tenant.SetAsync("k", "v", new CacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10), Expiration = TimeSpan.FromSeconds(25) });
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.True((await tenant.GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.True((await tenant.GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.True((await tenant.GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(2)); // 26 s after the write: past the absolute limit
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Version_tokens_never_expire()
    {
        var tenant = TimedApp().Tenant("t");
        await tenant.SetAsync("short", "v", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromDays(400));
        await tenant.SetAsync("k", "v", TimeSpan.FromMinutes(1));
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task I4_an_evicted_version_token_never_brings_back_an_invalidated_entry()
    {
        // A store so small that writing fresh entries evicts the oldest items, version tokens included.
        var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxBytes = 16 * 1024, MaxItemBytes = 4096 }, _time);
        var app = new ApplicationCache(store, new TenantCacheOptions { Application = "evict" }, timeProvider: _time);
        var victim = app.Tenant("victim");
        await victim.SetAsync("k", "stale");
        await victim.InvalidateAsync();
        Assert.False((await victim.GetAsync<string>("k")).HasValue);
        var tokenKey = ScopePath.ForApplication("evict").Child("victim").VersionKeys[1];
        var dataKey = KeyEncoder.Bound(ScopePath.ForApplication("evict").Child("victim").CanonicalDataKey("k"));

        // Fill the store from another tenant until the victim's token is evicted, while reading the
        // stale data key directly after every write so that it stays recently used and survives.
        var filler = app.Tenant("filler");
        var dataOnly = new StoreItem[1];
        for (var i = 0; i < 200; i++)
        {
            await filler.SetAsync("f" + i, new byte[500]);
            await store.GetManyAsync(new[] { dataKey }, dataOnly);
        }

        var items = new StoreItem[2];
        await store.GetManyAsync(new[] { tokenKey, dataKey }, items);
        Assert.False(items[0].Found, "the version token should have been evicted");
        Assert.True(items[1].Found, "the stale entry should still be in the store");
        Assert.True(store.Evictions > 0);

        // The token is gone and the stale entry is still there: it must stay a miss, and a token
        // created afresh (by a write elsewhere in the tenant) must not revive it either.
        Assert.False((await victim.GetAsync<string>("k")).HasValue);
        await victim.SetAsync("other", "x");
        Assert.False((await victim.GetAsync<string>("k")).HasValue);
        Assert.Equal("x", (await victim.GetAsync<string>("other")).Value);
    }
}

/// <summary>The engine contract on the in-process store with a token reuse window (off there by default).</summary>
public sealed class MemoryReuseEngineTests : EngineContractTests
{
    protected override TimeSpan? TokenReuseWindow => TimeSpan.FromMilliseconds(200);

    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemoryCacheStore());
}
