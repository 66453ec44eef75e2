using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>An envelope whose deadline no <see cref="DateTimeOffset"/> can hold is rejected, never thrown from a read.</summary>
public sealed class HostileDeadlineTests
{
    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(253_402_300_800_000L)] // one millisecond past DateTimeOffset.MaxValue
    [InlineData(long.MinValue)]
    public async Task A_sliding_entry_with_an_unrepresentable_deadline_and_matching_tokens_is_a_rejected_miss(long deadline)
    {
        var store = new MemoryCacheStore();
        var logger = new ListLogger<ApplicationCache>();
        var tenant = new ApplicationCache(store, new TenantCacheOptions { Application = "hostile" }, logger).Tenant("t");
        await tenant.SetAsync("k", "v", new CacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        var key = KeyEncoder.Bound(ScopePath.ForApplication("hostile").Child("t").CanonicalDataKey("k"));
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        var bytes = items[0].Value.ToArray();
        Assert.True(Envelope.TryParse(bytes, out var view, out _));
        Assert.NotNull(view.SlidingWindow);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(44), deadline); // the tokens still match
        await store.SetAsync(key, bytes, StoreSetMode.Set, null);

        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        Assert.False(Envelope.TryParse(bytes, out _, out var cause));
        Assert.Equal(RejectCause.DeadlineOutOfRange, cause);
        var warning = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(1003, warning.Id.Id);
        Assert.Contains(nameof(RejectCause.DeadlineOutOfRange), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_deadline_the_engine_writes_is_still_accepted()
    {
        var tenant = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "far" }).Tenant("t");
        await tenant.SetAsync("k", "v", new CacheEntryOptions { Expiration = TimeSpan.MaxValue, SlidingExpiration = TimeSpan.FromMinutes(1) });
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value);
    }
}
