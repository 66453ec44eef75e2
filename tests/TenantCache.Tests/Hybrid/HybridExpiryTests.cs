using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Hybrid;
using TenantCache.Stores;

namespace TenantCache.Tests.Hybrid;

/// <summary>Expiration and default entry options, on a fake clock.</summary>
public sealed class HybridExpiryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private HybridCache Build(Action<TenantHybridCacheOptions>? configure = null, TimeSpan? applicationDefault = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ICacheStore>(new MemoryCacheStore(new MemoryCacheStoreOptions(), _time));
        services.AddTenantCache(o =>
        {
            o.Application = "exp";
            o.DefaultExpiration = applicationDefault ?? TimeSpan.FromMinutes(5);
        }).AsHybridCache(HybridCacheScope.Application, configure);
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }

    private static async Task<bool> HitAsync(HybridCache cache, string key = "k") =>
        await cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("miss"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite }) != "miss";

    [Fact]
    public async Task Expiration_is_respected_and_LocalCacheExpiration_does_not_shorten_it()
    {
        var cache = Build();
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(2), LocalCacheExpiration = TimeSpan.FromMinutes(1) };
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), options);

        _time.Advance(TimeSpan.FromSeconds(90)); // past the local expiration: there is no local tier
        Assert.True(await HitAsync(cache));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await HitAsync(cache));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await HitAsync(cache));
    }

    [Fact]
    public async Task SetAsync_respects_its_expiration()
    {
        var cache = Build();
        await cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(30) });
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await HitAsync(cache));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await HitAsync(cache));
    }

    [Fact]
    public async Task Without_an_expiration_TenantCaches_default_applies()
    {
        var cache = Build(applicationDefault: TimeSpan.FromMinutes(1));
        await cache.SetAsync("k", "v");
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await HitAsync(cache));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await HitAsync(cache));
    }

    [Fact]
    public async Task The_default_entry_options_apply_when_a_call_gives_none_and_a_call_overrides_them()
    {
        var cache = Build(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(10) });
        await cache.SetAsync("default", "v");
        await cache.SetAsync("own", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(60) });
        await cache.SetAsync("flags-only", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.None });

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(await HitAsync(cache, "default"));
        Assert.False(await HitAsync(cache, "flags-only")); // no expiration given: the default's
        Assert.True(await HitAsync(cache, "own"));
    }

    [Fact]
    public async Task Default_flags_apply_when_a_call_gives_no_flags_and_a_calls_flags_replace_them()
    {
        var cache = Build(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite });
        await cache.SetAsync("k", "v");
        Assert.False(await HitAsync(cache));

        await cache.SetAsync("k", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.None });
        Assert.True(await HitAsync(cache));
    }

    [Fact]
    public async Task A_non_positive_expiration_is_refused()
    {
        var cache = Build();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.Zero }));
    }
}
