using System.Text;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;

namespace TenantCache.Tests.Stores;

/// <summary>
/// <see cref="MemoryCacheStore"/> as an <see cref="ILeaseCacheStore"/>: memcached 1.6.18's lease rules
/// (docs: shared research notes on hot keys and leases, §1.1–1.4) with exact durations. Marking stale is
/// tested in <c>MemoryLeaseStoreTests.Marks.cs</c>; arguments, budget and concurrency in <c>MemoryLeaseStoreTests.Contract.cs</c>.
/// </summary>
public sealed partial class MemoryLeaseStoreTests
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private MemoryCacheStore NewStore(long maxBytes = MemoryCacheStoreOptions.DefaultMaxBytes) =>
        new(new MemoryCacheStoreOptions { MaxBytes = maxBytes, MaxItemBytes = (int)Math.Min(maxBytes, MemoryCacheStoreOptions.DefaultMaxItemBytes) }, _time);

    private static async Task<StoreItem> LeaseReadAsync(MemoryCacheStore store, string key, TimeSpan refreshBefore = default, ulong knownCas = 0)
    {
        var results = new StoreItem[1];
        var known = knownCas == 0 ? ReadOnlyMemory<ulong>.Empty : new[] { knownCas };
        await store.GetManyAsync(new[] { key }, results, known, new StoreLease(0, LeaseTime, refreshBefore));
        return results[0];
    }

    private static async Task<StoreItem> PlainReadAsync(MemoryCacheStore store, string key)
    {
        var results = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, results);
        return results[0];
    }

    private static Task<StoreSetResult> WriteAsync(MemoryCacheStore store, string key, string value, ulong cas = 0) =>
        store.SetAsync(key, Encoding.ASCII.GetBytes(value), StoreSetMode.Set, TimeSpan.FromSeconds(300), flags: 7, cas).AsTask();

    private static string Text(StoreItem item) => Encoding.ASCII.GetString(item.Value.Span);

    [Fact]
    public async Task First_lease_reader_wins_an_empty_placeholder_and_the_next_is_held()
    {
        var store = NewStore();

        var first = await LeaseReadAsync(store, "k");
        var second = await LeaseReadAsync(store, "k");
        var plain = await PlainReadAsync(store, "k");

        Assert.True(first.Found);
        Assert.Equal(StoreLeaseState.Won, first.Lease);
        Assert.Equal(0, first.Value.Length);
        Assert.Equal(0u, first.Flags);
        Assert.NotEqual(0ul, first.Cas);
        Assert.Equal((true, 0, first.Cas, StoreLeaseState.Held), (second.Found, second.Value.Length, second.Cas, second.Lease));
        Assert.Equal((true, first.Cas, StoreLeaseState.Held), (plain.Found, plain.Cas, plain.Lease)); // memcached: Z on a plain mg too
        Assert.Equal(1, store.Count);
        Assert.Equal(MemoryCacheStore.ItemCost(1, 0), store.CurrentBytes);
    }

    [Fact]
    public async Task Winners_cas_write_clears_the_lease_and_the_losers_write_with_the_same_cas_conflicts()
    {
        var store = NewStore();
        var won = await LeaseReadAsync(store, "k");
        var held = await LeaseReadAsync(store, "k");

        Assert.Equal(StoreSetResult.Stored, await WriteAsync(store, "k", "fresh", won.Cas));
        Assert.Equal(StoreSetResult.Conflict, await WriteAsync(store, "k", "loser", held.Cas));

        var next = await LeaseReadAsync(store, "k");
        Assert.Equal(("fresh", 7u, StoreLeaseState.None), (Text(next), next.Flags, next.Lease));
        Assert.NotEqual(won.Cas, next.Cas);
        Assert.Equal(StoreLeaseState.None, (await PlainReadAsync(store, "k")).Lease);
    }

    [Fact]
    public async Task Lease_is_advisory_a_held_reader_may_write_first_and_the_winner_then_conflicts()
    {
        var store = NewStore();
        var won = await LeaseReadAsync(store, "k");
        var held = await LeaseReadAsync(store, "k");

        Assert.Equal(StoreSetResult.Stored, await WriteAsync(store, "k", "bbb", held.Cas));
        Assert.Equal(StoreSetResult.Conflict, await WriteAsync(store, "k", "aaa", won.Cas));
        Assert.Equal("bbb", Text(await PlainReadAsync(store, "k")));
    }

    [Fact]
    public async Task Placeholder_expires_exactly_after_the_lease_duration_and_the_next_reader_wins()
    {
        var store = NewStore();
        var crashed = await LeaseReadAsync(store, "k");

        _time.Advance(LeaseTime - OneTick);
        Assert.Equal(StoreLeaseState.Held, (await LeaseReadAsync(store, "k")).Lease);
        _time.Advance(OneTick);
        Assert.False((await PlainReadAsync(store, "k")).Found);
        var next = await LeaseReadAsync(store, "k");

        Assert.Equal((StoreLeaseState.Won, 0), (next.Lease, next.Value.Length));
        Assert.True(next.Cas > crashed.Cas);
        Assert.Equal(StoreSetResult.Conflict, await WriteAsync(store, "k", "late", crashed.Cas));
    }

    [Fact]
    public async Task Plain_reads_report_held_and_stale_and_never_store_a_placeholder()
    {
        var store = NewStore();
        var batch = new StoreItem[3];
        await store.GetManyAsync(new[] { "k", "k", "k" }, batch, ReadOnlyMemory<ulong>.Empty, new StoreLease(1, LeaseTime));

        Assert.False(batch[0].Found); // read before the lease key: still a miss
        Assert.Equal(StoreLeaseState.Won, batch[1].Lease);
        Assert.Equal(StoreLeaseState.Held, batch[2].Lease);
        Assert.False((await PlainReadAsync(store, "missing")).Found);
        Assert.Equal(1, store.Count);

        await WriteAsync(store, "m", "v");
        await store.MarkStaleAsync("m", (await PlainReadAsync(store, "m")).Cas, TimeSpan.FromSeconds(30), LeaseTime);
        Assert.Equal(StoreLeaseState.Held | StoreLeaseState.Stale, (await PlainReadAsync(store, "m")).Lease);
    }

    [Fact]
    public async Task Refresh_before_wins_a_valid_hit_whose_remaining_ttl_is_below_it_then_holds()
    {
        var store = NewStore();
        await store.SetAsync("k", "val"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(100), flags: 0, cas: 0);
        await store.SetAsync("forever", "val"u8.ToArray(), StoreSetMode.Set, null);
        var refresh = TimeSpan.FromSeconds(30);

        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "k", refresh)).Lease);
        _time.Advance(TimeSpan.FromSeconds(70)); // exactly 30 s left: not below
        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "k", refresh)).Lease);
        _time.Advance(OneTick);
        var won = await LeaseReadAsync(store, "k", refresh);
        var held = await LeaseReadAsync(store, "k", refresh);

        Assert.Equal(("val", StoreLeaseState.Won), (Text(won), won.Lease)); // the value stays valid meanwhile
        Assert.Equal(("val", StoreLeaseState.Held, won.Cas), (Text(held), held.Lease, held.Cas));
        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "forever", TimeSpan.MaxValue)).Lease); // no TTL, no refresh
        var placeholder = await LeaseReadAsync(store, "new", TimeSpan.MaxValue);
        Assert.Equal(StoreLeaseState.Won, placeholder.Lease);
        Assert.Equal(StoreLeaseState.Held, (await LeaseReadAsync(store, "new", TimeSpan.MaxValue)).Lease);
    }

    [Fact]
    public async Task A_lease_read_with_the_known_cas_answers_unchanged_with_the_lease_state()
    {
        var store = NewStore();
        await WriteAsync(store, "k", "v");
        var seen = await PlainReadAsync(store, "k");
        var marked = await store.MarkStaleAsync("k", seen.Cas, TimeSpan.FromSeconds(30), LeaseTime);

        var again = await LeaseReadAsync(store, "k", knownCas: marked.Cas);
        var old = await LeaseReadAsync(store, "k", knownCas: seen.Cas);

        Assert.Equal((true, marked.Cas, 7u, StoreLeaseState.Held | StoreLeaseState.Stale), (again.IsUnchanged, again.Cas, again.Flags, again.Lease));
        Assert.Equal(0, again.Value.Length);
        Assert.Equal((false, "v", StoreLeaseState.Held | StoreLeaseState.Stale), (old.IsUnchanged, Text(old), old.Lease));
    }

    [Fact]
    public async Task Every_replacing_write_clears_both_bits_and_a_touch_keeps_them()
    {
        var store = NewStore();
        foreach (var mode in new[] { StoreSetMode.Set, StoreSetMode.Replace })
        {
            await WriteAsync(store, "k", "v");
            await store.MarkStaleAsync("k", (await PlainReadAsync(store, "k")).Cas, TimeSpan.FromSeconds(30), LeaseTime);
            Assert.True(await store.TouchAsync("k", TimeSpan.FromSeconds(60)));
            Assert.Equal(StoreLeaseState.Held | StoreLeaseState.Stale, (await PlainReadAsync(store, "k")).Lease);

            Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k", "w"u8.ToArray(), mode, null));
            Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "k")).Lease);
        }

        await LeaseReadAsync(store, "p");
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync("p", "w"u8.ToArray(), StoreSetMode.Add, null)); // a placeholder is an item
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("p", "w"u8.ToArray(), StoreSetMode.Replace, null));
        Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, "gone")).Lease);
        _time.Advance(LeaseTime);
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("gone", "w"u8.ToArray(), StoreSetMode.Add, null));
        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "gone")).Lease);
    }

    [Fact]
    public async Task Delete_with_cas_deletes_only_the_item_that_still_has_it()
    {
        var store = NewStore();
        var won = await LeaseReadAsync(store, "k");

        Assert.False(await store.DeleteAsync("k", won.Cas + 1));
        Assert.Equal(StoreLeaseState.Held, (await PlainReadAsync(store, "k")).Lease);
        Assert.True(await store.DeleteAsync("k", won.Cas)); // the lease given back
        Assert.False(await store.DeleteAsync("k", won.Cas));
        Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, "k")).Lease);
        Assert.Equal(1, store.Count);

        await WriteAsync(store, "e", "v");
        var cas = (await PlainReadAsync(store, "e")).Cas;
        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.False(await store.DeleteAsync("e", cas)); // expired: does not exist
    }
}
