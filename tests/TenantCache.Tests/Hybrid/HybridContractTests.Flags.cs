using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;

namespace TenantCache.Tests.Hybrid;

/// <summary>HybridCacheEntryFlags: the distributed flags act on the store; the local ones and compression have no effect.</summary>
public abstract partial class HybridContractTests
{
    private static HybridCacheEntryOptions With(HybridCacheEntryFlags flags) => new() { Flags = flags };

    [Fact]
    public async Task DisableDistributedCacheRead_ignores_the_stored_value_runs_the_factory_and_stores_its_result()
    {
        await App.SetAsync("k", "old");
        var calls = new StrongBox<int>();
        Assert.Equal("new", await App.GetOrCreateAsync("k", Counting(calls, "new"), With(HybridCacheEntryFlags.DisableDistributedCacheRead)));
        Assert.Equal(1, calls.Value);
        Assert.Equal("new", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task DisableDistributedCacheWrite_serves_a_hit_and_stores_nothing_on_a_miss()
    {
        var calls = new StrongBox<int>();
        var noWrite = With(HybridCacheEntryFlags.DisableDistributedCacheWrite);
        Assert.Equal("computed", await App.GetOrCreateAsync("k", Counting(calls, "computed"), noWrite));
        Assert.Equal("miss", await PeekAsync(App, "k"));

        await App.SetAsync("k", "stored");
        Assert.Equal("stored", await App.GetOrCreateAsync("k", Counting(calls, "computed"), noWrite));
        Assert.Equal(1, calls.Value);
    }

    [Fact]
    public async Task DisableDistributedCache_always_runs_the_factory_and_stores_nothing()
    {
        await App.SetAsync("k", "stored");
        var calls = new StrongBox<int>();
        Assert.Equal("computed", await App.GetOrCreateAsync("k", Counting(calls, "computed"), With(HybridCacheEntryFlags.DisableDistributedCache)));
        Assert.Equal("computed", await App.GetOrCreateAsync("k2", Counting(calls, "computed"), With(HybridCacheEntryFlags.DisableDistributedCache)));
        Assert.Equal(2, calls.Value);
        Assert.Equal("stored", await PeekAsync(App, "k"));
        Assert.Equal("miss", await PeekAsync(App, "k2"));
    }

    [Fact]
    public async Task DisableUnderlyingData_reads_only_and_a_miss_is_default()
    {
        var calls = new StrongBox<int>();
        var readOnly = With(HybridCacheEntryFlags.DisableUnderlyingData);
        Assert.Null(await App.GetOrCreateAsync("k", Counting(calls, "computed"), readOnly));
        Assert.Equal(0, await App.GetOrCreateAsync("n", _ => ValueTask.FromResult(5), readOnly));
        Assert.Equal("miss", await PeekAsync(App, "k"));

        await App.SetAsync("hit", "stored");
        Assert.Equal("stored", await App.GetOrCreateAsync("hit", Counting(calls, "computed"), readOnly));
        Assert.Null(await App.GetOrCreateAsync("hit", Counting(calls, "computed"), With(HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableDistributedCacheRead)));
        Assert.Equal(0, calls.Value);
    }

    [Theory]
    [InlineData(HybridCacheEntryFlags.DisableLocalCacheRead)]
    [InlineData(HybridCacheEntryFlags.DisableLocalCacheWrite)]
    [InlineData(HybridCacheEntryFlags.DisableLocalCache)]
    [InlineData(HybridCacheEntryFlags.DisableCompression)]
    public async Task Local_cache_and_compression_flags_change_nothing(HybridCacheEntryFlags flags)
    {
        var calls = new StrongBox<int>();
        Assert.Equal("computed", await App.GetOrCreateAsync("k", Counting(calls, "computed"), With(flags)));
        Assert.Equal("computed", await App.GetOrCreateAsync("k", Counting(calls, "again"), With(flags)));
        await App.SetAsync("s", "set", With(flags));
        Assert.Equal("set", await PeekAsync(App, "s"));
        Assert.Equal(1, calls.Value);
    }

    [Fact]
    public async Task SetAsync_with_DisableDistributedCacheWrite_writes_nothing()
    {
        await App.SetAsync("k", "v", With(HybridCacheEntryFlags.DisableDistributedCacheWrite));
        Assert.Equal("miss", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task I1_a_value_computed_without_reading_while_the_scope_was_invalidated_is_never_served()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = App.GetOrCreateAsync("k", async ct =>
        {
            started.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return "old";
        }, With(HybridCacheEntryFlags.DisableDistributedCacheRead)).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await App.RemoveByTagAsync("*");
        release.SetResult();

        Assert.Equal("old", await slow);
        Assert.Equal("miss", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task A_value_over_the_store_limit_is_returned_by_GetOrCreate_and_SetAsync_drops_the_entry_it_replaces()
    {
        await App.SetAsync("warm-up", "v"); // memcached learns its item limit on the first connection
        var huge = new string('x', Store.MaxValueLength + 1);
        Assert.Equal(huge.Length, (await App.GetOrCreateAsync("big", _ => ValueTask.FromResult(huge))).Length);
        Assert.Equal("miss", await PeekAsync(App, "big"));

        await App.SetAsync("k", "small");
        await App.SetAsync("k", huge); // does not throw
        Assert.Equal("miss", await PeekAsync(App, "k"));
    }
}
