using Microsoft.Extensions.Caching.Distributed;

namespace TenantCache.Tests.Distributed;

/// <summary>Absolute, relative and combined expirations: exact to the millisecond on the engine's clock.</summary>
public abstract partial class DistributedCacheContractTests
{
    [Fact]
    public async Task An_absolute_expiration_not_in_the_future_throws_like_Microsofts_caches()
    {
        var cache = NewCache();
        foreach (var past in new[] { Clock.GetUtcNow().AddMinutes(-1), Clock.GetUtcNow() })
        {
            var options = new DistributedCacheEntryOptions { AbsoluteExpiration = past };
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync("k", [1], options));
            Assert.Equal("AbsoluteExpiration", error.ParamName);
            Assert.StartsWith("The absolute expiration value must be in the future.", error.Message, StringComparison.Ordinal);
            Assert.Equal(past, error.ActualValue);
            Assert.Equal("AbsoluteExpiration", Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set("k", [1], options)).ParamName);
        }

        Assert.Null(await cache.GetAsync("k")); // nothing was written
    }

    [Fact]
    public async Task The_absolute_expiration_is_judged_on_the_registered_clock_not_the_machines()
    {
        // The fake clock runs years ahead: an hour after the machine's now is its past, and a minute
        // after its own now is the machine's far future.
        var cache = NewCache();
        var machineFuture = new DistributedCacheEntryOptions { AbsoluteExpiration = TimeProvider.System.GetUtcNow().AddHours(1) };
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync("k", [1], machineFuture));

        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = Clock.GetUtcNow().AddMinutes(1) });
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task A_sub_second_absolute_expiration_is_exact_to_the_millisecond()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = Clock.GetUtcNow().AddMilliseconds(300) });
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(299));
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.GetAsync("k"));
        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public async Task A_sub_second_relative_expiration_is_exact_to_the_millisecond()
    {
        var cache = NewCache();
        cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(250) });
        Assert.NotNull(cache.Get("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Theory]
    [InlineData(10, 5, 5)]
    [InlineData(3, 10, 3)]
    public async Task With_an_absolute_and_a_relative_expiration_the_earlier_wins(int absoluteSeconds, int relativeSeconds, int expectedSeconds)
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions
        {
            AbsoluteExpiration = Clock.GetUtcNow().AddSeconds(absoluteSeconds),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(relativeSeconds),
        });
        Clock.Advance(TimeSpan.FromSeconds(expectedSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Reads_renew_a_sliding_entry_but_never_past_its_absolute_expiration()
    {
        var cache = NewCache();
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(1),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(3),
        });
        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(500));
            Assert.NotNull(await cache.GetAsync("k"));
        }

        Clock.Advance(TimeSpan.FromMilliseconds(499)); // 2.999 s after the write, read 0.499 s ago
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Entries_written_without_expiration_get_the_applications_default()
    {
        var cache = NewCache(); // TenantCacheOptions.DefaultExpiration: 5 minutes
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions());
        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await cache.GetAsync("k"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(16 * 1024)]
    public async Task Five_minutes_is_a_hit_at_four_and_a_miss_at_six_on_every_read_path(int size)
    {
        var cache = NewCache();
        var value = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        cache.Set("sync", value, FiveMinutes);
        await cache.SetAsync("async", value, FiveMinutes);
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(value, cache.Get("sync"));
        Assert.Equal(value, await cache.GetAsync("async"));
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(await cache.TryGetAsync("async", writer));
        Assert.Equal(value, writer.WrittenSpan.ToArray());
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(cache.Get("sync"));
        Assert.Null(await cache.GetAsync("async"));
        writer.Clear();
        Assert.False(cache.TryGet("async", writer));
        Assert.Equal(0, writer.WrittenCount);
    }
}
