using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache.Tests.Keys;

/// <summary>The envelope's sliding field: milliseconds in format 2, whole seconds in format 1 (still read).</summary>
public sealed class SlidingCodeTests
{
    [Theory]
    [InlineData(0.25, 250u)]
    [InlineData(1.0, 1000u)]
    [InlineData(1.0004, 1001u)] // rounded up: a window is never shortened
    [InlineData(86_400.0, 86_400_000u)]
    public void Windows_under_24_days_are_kept_in_milliseconds(double seconds, uint code)
    {
        Assert.Equal(code, SlidingCode.Encode(TimeSpan.FromSeconds(seconds)));
        Assert.True(SlidingCode.Decode(code, Envelope.FormatVersion) >= TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Longer_windows_are_kept_in_whole_seconds_rounded_up()
    {
        var window = TimeSpan.FromDays(40) + TimeSpan.FromMilliseconds(1);
        var code = SlidingCode.Encode(window);
        Assert.Equal(0x8000_0000u, code & 0x8000_0000u);
        Assert.Equal(TimeSpan.FromDays(40) + TimeSpan.FromSeconds(1), SlidingCode.Decode(code, Envelope.FormatVersion));
        Assert.Equal(TimeSpan.FromSeconds(int.MaxValue), SlidingCode.Decode(SlidingCode.Encode(TimeSpan.MaxValue), Envelope.FormatVersion));
        Assert.Equal(0u, SlidingCode.Encode(null));
        Assert.Null(SlidingCode.Decode(0, Envelope.FormatVersion));
    }

    [Fact]
    public async Task A_format_1_entry_is_still_served_and_its_sliding_field_read_as_seconds()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new MemoryCacheStore(timeProvider: time);
        var app = new ApplicationCache(store, new TenantCacheOptions { Application = "old" }, timeProvider: time);
        var tenant = app.Tenant("t");
        await tenant.SetAsync("k", "v", CacheEntryOptions.Sliding(TimeSpan.FromMilliseconds(5)));

        // Rewrite the stored envelope as an older engine wrote it: format 1, sliding field = 5 seconds.
        var key = KeyEncoder.Bound(ScopePath.ForApplication("old").Child("t").CanonicalDataKey("k"));
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        var bytes = items[0].Value.ToArray();
        bytes[2] = Envelope.SecondsSlidingFormatVersion;
        BitConverter.TryWriteBytes(bytes.AsSpan(40), 5u);
        await store.SetAsync(key, bytes, StoreSetMode.Set, TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value); // renewed for 5 s, not 5 ms
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }
}
