using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Distributed;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Distributed;

/// <summary>
/// What Microsoft's own IDistributedCache suites (Redis, SQL Server, HybridCache) check, plus what
/// TenantCache promises on top (scopes, exact expiry, typed size errors), over any store. Every store
/// runs this whole class: the in-process store and a real memcached.
/// </summary>
/// <remarks>
/// The engine's clock is a <see cref="FakeTimeProvider"/> set years away from the machine's clock, so
/// every expiry decision visibly comes from the registered clock. On memcached the store's own TTLs
/// run on the server's clock; absolute deadlines are the engine's, so they are exact there too.
/// </remarks>
public abstract partial class DistributedCacheContractTests : StoreContract
{
    protected static readonly DistributedCacheEntryOptions FiveMinutes = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero));

    /// <summary>A fresh application per use, so tests sharing a server never see each other.</summary>
    protected ApplicationCache NewApp(ICacheStore? store = null, string? name = null) =>
        new(store ?? Store, new TenantCacheOptions { Application = name ?? "dc-" + Guid.NewGuid().ToString("N")[..12] }, timeProvider: Clock);

    protected IBufferDistributedCache NewCache() => NewApp().AsDistributedCache();

    [Fact]
    public async Task A_missing_key_is_null_sync_and_async()
    {
        var cache = NewCache();
        Assert.Null(cache.Get("nothing"));
        Assert.Null(await cache.GetAsync("nothing"));
    }

    [Fact]
    public async Task Set_then_get_returns_the_bytes_sync_and_async()
    {
        var cache = NewCache();
        cache.Set("sync", [1, 2, 3], FiveMinutes);
        await cache.SetAsync("async", [4, 5], FiveMinutes);
        Assert.Equal([1, 2, 3], cache.Get("sync"));
        Assert.Equal([1, 2, 3], await cache.GetAsync("sync"));
        Assert.Equal([4, 5], cache.Get("async"));
    }

    [Fact]
    public async Task Set_always_overwrites()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], FiveMinutes);
        await cache.SetAsync("k", [2], FiveMinutes);
        Assert.Equal([2], await cache.GetAsync("k"));
        cache.Set("k", [3], FiveMinutes);
        Assert.Equal([3], cache.Get("k"));
    }

    [Fact]
    public async Task Remove_removes_sync_and_async()
    {
        var cache = NewCache();
        await cache.SetAsync("a", [1], FiveMinutes);
        await cache.SetAsync("b", [2], FiveMinutes);
        await cache.RemoveAsync("a");
        cache.Remove("b");
        Assert.Null(await cache.GetAsync("a"));
        Assert.Null(cache.Get("b"));
        await cache.RemoveAsync("never-there"); // removing a missing key is not an error
    }

    [Fact]
    public async Task An_empty_value_is_a_hit_not_a_miss()
    {
        var cache = NewCache();
        await cache.SetAsync("empty", [], FiveMinutes);
        var value = await cache.GetAsync("empty");
        Assert.NotNull(value);
        Assert.Empty(value);
    }

    [Fact]
    public async Task Keys_are_case_sensitive_and_never_trimmed()
    {
        var cache = NewCache();
        await cache.SetAsync("myKey", [1], FiveMinutes);
        await cache.SetAsync("  padded  ", [2], FiveMinutes);
        Assert.Null(await cache.GetAsync("Mykey"));
        Assert.Null(await cache.GetAsync("padded"));
        Assert.Equal([1], await cache.GetAsync("myKey"));
        Assert.Equal([2], await cache.GetAsync("  padded  "));
    }

    [Fact]
    public async Task Long_keys_and_keys_memcached_refuses_work_and_stay_distinct()
    {
        var cache = NewCache();
        var key = "a key with spaces, \r\n, ünïcode and " + new string('x', 600);
        await cache.SetAsync(key, [1], FiveMinutes);
        await cache.SetAsync(key + "!", [2], FiveMinutes);
        Assert.Equal([1], await cache.GetAsync(key));
        Assert.Equal([2], await cache.GetAsync(key + "!"));
    }

    [Fact]
    public async Task Lone_surrogates_are_keys_of_their_own()
    {
        // UTF-8 would turn every lone surrogate into U+FFFD and make these keys collide; WTF-8 keeps them apart.
        string[] keys = ["a\uD800", "a\uFFFD", "a\uDC00", "a\uDBFF", "a", "a\uD800\uDC00", "\uDC00\uD800"];
        var cache = NewCache();
        for (var i = 0; i < keys.Length; i++)
        {
            await cache.SetAsync(keys[i], [(byte)i], FiveMinutes);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(new[] { (byte)i }, await cache.GetAsync(keys[i]));
        }
    }

    [Fact]
    public async Task Null_arguments_throw_with_their_own_names()
    {
        var cache = NewCache();
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Get(null!)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => cache.GetAsync(null!))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Set(null!, [1], FiveMinutes)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => cache.Set("k", null!, FiveMinutes)).ParamName);
        Assert.Equal("value", (await Assert.ThrowsAsync<ArgumentNullException>(() => cache.SetAsync("k", null!, FiveMinutes))).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => cache.Set("k", [1], null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => cache.Set("k", new System.Buffers.ReadOnlySequence<byte>([1]), null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Refresh(null!)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => cache.RefreshAsync(null!))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Remove(null!)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => cache.RemoveAsync(null!))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.TryGet(null!, writer)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => cache.TryGet("k", null!)).ParamName);
        Assert.Equal("destination", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await cache.TryGetAsync("k", null!))).ParamName);
    }

    [Fact]
    public async Task An_empty_key_is_refused_by_name()
    {
        var cache = NewCache();
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => cache.Get("")).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => cache.SetAsync("", [1], FiveMinutes))).ParamName);
    }
}
