using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>Expirations too large for any clock mean "never" (or are clamped): never an overflow, and never after the store was touched.</summary>
public sealed class HugeExpirationTests
{
    public static TheoryData<string> Cases => ["expires", "slides", "both", "default", "slides-default"];

    private static (TenantCacheOptions Options, CacheEntryOptions? Entry) Case(string name) => name switch
    {
        "expires" => (new TenantCacheOptions { Application = "huge" }, CacheEntryOptions.Expires(TimeSpan.MaxValue)),
        "slides" => (new TenantCacheOptions { Application = "huge" }, CacheEntryOptions.Sliding(TimeSpan.MaxValue)),
        "both" => (new TenantCacheOptions { Application = "huge" }, new CacheEntryOptions { Expiration = TimeSpan.MaxValue, SlidingExpiration = TimeSpan.MaxValue }),
        "default" => (new TenantCacheOptions { Application = "huge", DefaultExpiration = TimeSpan.MaxValue }, null),
        _ => (new TenantCacheOptions { Application = "huge", DefaultExpiration = TimeSpan.MaxValue }, CacheEntryOptions.Sliding(TimeSpan.FromDays(20000))),
    };

    /// <summary>A store that refuses expiries it cannot represent (memcached's client refuses those past 2038).</summary>
    private sealed class StrictStore(ICacheStore inner, TimeProvider time) : DelegatingStore(inner)
    {
        private static readonly DateTimeOffset Limit = DateTimeOffset.FromUnixTimeSeconds(int.MaxValue);

        public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
        {
            Check(expiry);
            return base.SetAsync(key, value, mode, expiry, cancellationToken);
        }

        public override ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default)
        {
            Check(expiry);
            return base.TouchAsync(key, expiry, cancellationToken);
        }

        private void Check(TimeSpan? expiry)
        {
            if (expiry is { } ttl && ttl > Limit - time.GetUtcNow())
            {
                throw new ArgumentOutOfRangeException(nameof(expiry), ttl, "past 2038");
            }
        }
    }

    [Theory]
    [InlineData("expires")]
    [InlineData("both")]
    [InlineData("default")]
    [InlineData("slides")]
    public async Task A_huge_expiration_reaches_the_store_as_never_not_as_a_ttl_it_must_refuse(string name)
    {
        var (options, entry) = Case(name);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new StrictStore(new MemoryCacheStore(new MemoryCacheStoreOptions(), time), time);
        var log = new ListLogger<ApplicationCache>();
        var tenant = new ApplicationCache(store, options, log, time).Tenant("t");

        await tenant.SetAsync("set", "v", entry);
        Assert.Equal("c", await tenant.GetOrCreateAsync("goc", _ => ValueTask.FromResult("c"), entry));
        Assert.Equal("v", (await tenant.GetAsync<string>("set")).Value);
        Assert.Equal("c", (await tenant.GetAsync<string>("goc")).Value);
        Assert.DoesNotContain(log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Debug); // no failed write, no failed touch
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Set_get_and_get_or_create_with_a_huge_expiration_hit_and_never_throw(string name)
    {
        var (options, entry) = Case(name);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tenant = new ApplicationCache(new MemoryCacheStore(new MemoryCacheStoreOptions(), time), options, timeProvider: time).Tenant("t");

        await tenant.SetAsync("set", "v", entry);
        Assert.Equal("v", (await tenant.GetAsync<string>("set")).Value);
        Assert.Equal("c", await tenant.GetOrCreateAsync("goc", _ => ValueTask.FromResult("c"), entry));
        time.Advance(TimeSpan.FromDays(3650));
        Assert.Equal("v", (await tenant.GetAsync<string>("set")).Value);
        Assert.Equal("c", (await tenant.GetAsync<string>("goc")).Value);
    }
}
