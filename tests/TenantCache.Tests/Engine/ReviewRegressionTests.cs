using Microsoft.Extensions.Time.Testing;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>Regressions for defects found in review.</summary>
public sealed class ReviewRegressionTests
{
    [Fact]
    public async Task An_invalidation_the_store_refuses_throws_instead_of_reporting_success()
    {
        var app = new ApplicationCache(new RefusingStore(new MemoryCacheStore()), new TenantCacheOptions { Application = "refuse" });
        var error = await Assert.ThrowsAsync<CacheInvalidationException>(async () => await app.Tenant("t").InvalidateAsync());
        Assert.Contains("NotStored", error.Message);
    }

    [Fact]
    public async Task A_late_sliding_renewal_cannot_stretch_an_absolute_entry_past_its_expiration()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var store = new MemoryCacheStore(new MemoryCacheStoreOptions(), time);
        var tenant = new ApplicationCache(store, new TenantCacheOptions { Application = "late" }, timeProvider: time).Tenant("t");
        await tenant.SetAsync("k", "v", TimeSpan.FromSeconds(10));

        // A touch from an earlier sliding entry of the same key lands after the rewrite.
        var key = KeyEncoder.Bound(ScopePath.ForApplication("late").Child("t").CanonicalDataKey("k"));
        Assert.True(await store.TouchAsync(key, TimeSpan.FromHours(1)));

        time.Advance(TimeSpan.FromSeconds(11));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Callers_sharing_a_computation_get_its_value_without_waiting_for_the_store_write()
    {
        var store = new SlowWriteStore(new MemoryCacheStore());
        var tenant = new ApplicationCache(store, new TenantCacheOptions { Application = "slow" }).Tenant("t");
        await tenant.SetAsync("warm", "x"); // create the tokens while writes are fast
        store.HoldWrites = true;

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = tenant.GetOrCreateAsync("k", async _ => { await release.Task; return "v"; }).AsTask();
        var joiner = tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("joiner ran its own factory")).AsTask();
        await Task.Delay(50);
        release.SetResult();

        Assert.Equal("v", await joiner.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(leader.IsCompleted, "the leader is still writing");
        store.Gate.SetResult();
        Assert.Equal("v", await leader.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private sealed class RefusingStore(ICacheStore inner) : DelegatingStore(inner)
    {
        public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(StoreSetResult.NotStored);
    }

    private sealed class SlowWriteStore(ICacheStore inner) : DelegatingStore(inner)
    {
        public volatile bool HoldWrites;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
        {
            if (HoldWrites)
            {
                var copy = value.ToArray();
                await Gate.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                return await base.SetAsync(key, copy, mode, expiry, cancellationToken);
            }

            return await base.SetAsync(key, value, mode, expiry, cancellationToken);
        }
    }
}
