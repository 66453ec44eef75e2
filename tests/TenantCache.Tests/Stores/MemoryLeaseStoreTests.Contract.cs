using TenantCache.Stores;

namespace TenantCache.Tests.Stores;

/// <content>The lease members' byte budget, arguments, cancellation, synchronous completion and thread safety.</content>
public sealed partial class MemoryLeaseStoreTests
{
    [Fact]
    public async Task Placeholders_are_charged_counted_and_evicted_like_any_item()
    {
        var placeholder = MemoryCacheStore.ItemCost(2, 0);
        var store = NewStore(maxBytes: 400); // six placeholders of two-character keys fit (6 × 66)
        await store.SetAsync("v1", new byte[80], StoreSetMode.Set, null); // 146 bytes, least recently used

        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, "p" + i)).Lease);
        }

        Assert.False((await PlainReadAsync(store, "v1")).Found); // the fourth placeholder evicted it
        Assert.Equal((4, 4 * placeholder, 1L), (store.Count, store.CurrentBytes, store.Evictions));

        var won = await PlainReadAsync(store, "p1");
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("p1", new byte[10], StoreSetMode.Set, null, flags: 0, won.Cas));
        Assert.Equal(3 * placeholder + MemoryCacheStore.ItemCost(2, 10), store.CurrentBytes);

        _time.Advance(LeaseTime);
        Assert.Equal(4, store.Count); // expired placeholders count until looked at, like expired items
        Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, "p2")).Lease);
        Assert.False((await PlainReadAsync(store, "p3")).Found);
        Assert.False((await PlainReadAsync(store, "p4")).Found);
        Assert.Equal((2, placeholder + MemoryCacheStore.ItemCost(2, 10)), (store.Count, store.CurrentBytes));
        Assert.Equal(1L, store.Evictions); // expired ones are reclaimed, not evicted
    }

    [Fact]
    public async Task Lease_arguments_are_validated_without_changes()
    {
        var store = NewStore();
        var one = new StoreItem[1];
        var keys = new[] { "k" };
        var stale = TimeSpan.FromSeconds(30);

        Assert.Equal("cas", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.MarkStaleAsync("k", 0, stale, LeaseTime).AsTask())).ParamName);
        Assert.Equal("cas", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.DeleteAsync("k", 0).AsTask())).ParamName);
        Assert.Equal("staleFor", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.MarkStaleAsync("k", 1, TimeSpan.Zero, LeaseTime).AsTask())).ParamName);
        Assert.Equal("leaseDuration", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.MarkStaleAsync("k", 1, stale, -LeaseTime).AsTask())).ParamName);
        Assert.Equal("lease", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetManyAsync(keys, one, ReadOnlyMemory<ulong>.Empty, new StoreLease(1, LeaseTime)).AsTask())).ParamName);
        Assert.Equal("lease", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetManyAsync(keys, one, ReadOnlyMemory<ulong>.Empty, default(StoreLease)).AsTask())).ParamName);
        Assert.Equal("knownCas", (await Assert.ThrowsAsync<ArgumentException>(() => store.GetManyAsync(keys, one, new ulong[2], new StoreLease(0, LeaseTime)).AsTask())).ParamName);
        Assert.Equal("results", (await Assert.ThrowsAsync<ArgumentException>(() => store.GetManyAsync(keys, Array.Empty<StoreItem>(), ReadOnlyMemory<ulong>.Empty, new StoreLease(0, LeaseTime)).AsTask())).ParamName);
        foreach (var bad in new[] { null!, "", "a b", new string('x', MemoryCacheStore.MaxKeyLength + 1) })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetManyAsync(new[] { bad }, one, ReadOnlyMemory<ulong>.Empty, new StoreLease(0, LeaseTime)).AsTask());
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MarkStaleAsync(bad, 1, stale, LeaseTime).AsTask());
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(bad, 1).AsTask());
        }

        Assert.Equal((0, 0L), (store.Count, store.CurrentBytes));
    }

    [Fact]
    public async Task Already_cancelled_token_cancels_every_lease_operation_without_changes()
    {
        var store = NewStore();
        await WriteAsync(store, "k", "v");
        var cas = (await PlainReadAsync(store, "k")).Cas;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetManyAsync(new[] { "new" }, new StoreItem[1], ReadOnlyMemory<ulong>.Empty, new StoreLease(0, LeaseTime), cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.MarkStaleAsync("k", cas, TimeSpan.FromSeconds(1), LeaseTime, cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync("k", cas, cts.Token).AsTask());

        var item = await PlainReadAsync(store, "k");
        Assert.Equal((cas, StoreLeaseState.None, 1), (item.Cas, item.Lease, store.Count));
    }

    [Fact]
    public async Task Lease_operations_complete_synchronously()
    {
        var store = NewStore();
        var read = store.GetManyAsync(new[] { "k" }, new StoreItem[1], ReadOnlyMemory<ulong>.Empty, new StoreLease(0, LeaseTime)).AsTask();
        Assert.True(read.IsCompletedSuccessfully);
        var mark = store.MarkStaleAsync("k", 1, TimeSpan.FromSeconds(1), LeaseTime).AsTask();
        Assert.True(mark.IsCompletedSuccessfully);
        var delete = store.DeleteAsync("k", (await mark).Cas).AsTask();
        Assert.True(delete.IsCompletedSuccessfully);
        Assert.True(await delete);
    }

    [Fact]
    public void Sixteen_threads_reading_one_missing_key_with_a_lease_give_exactly_one_winner()
    {
        const int threads = 16;
        const int rounds = 25;
        var store = NewStore();
        for (var round = 0; round < rounds; round++)
        {
            var key = "hot" + round;
            var results = new StoreItem[threads];
            var notSynchronous = 0;
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                var one = new StoreItem[1];
                start.SignalAndWait(); // all sixteen race for the same miss
                var read = store.GetManyAsync(new[] { key }, one, ReadOnlyMemory<ulong>.Empty, new StoreLease(0, LeaseTime)).AsTask();
                if (!read.IsCompletedSuccessfully)
                {
                    Interlocked.Increment(ref notSynchronous);
                }

                results[t] = one[0];
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());

            Assert.Equal(0, notSynchronous);
            Assert.Single(results, r => r.Lease == StoreLeaseState.Won);
            Assert.Equal(threads - 1, results.Count(r => r.Lease == StoreLeaseState.Held));
            Assert.Single(results.Select(r => r.Cas).Distinct()); // one placeholder
        }

        var bytes = Enumerable.Range(0, rounds).Sum(r => MemoryCacheStore.ItemCost(("hot" + r).Length, 0));
        Assert.Equal((rounds, bytes), (store.Count, store.CurrentBytes));
    }
}
