using TenantCache.Stores;

namespace TenantCache.Tests.Stores;

/// <content>Marking stale (memcached's <c>md … C I T</c> followed by <c>mg … N</c>).</content>
public sealed partial class MemoryLeaseStoreTests
{
    [Fact]
    public async Task Two_marks_with_the_same_cas_give_exactly_one_winner_and_both_see_the_old_value()
    {
        var store = NewStore();
        await WriteAsync(store, "k", "old");
        var seen = await PlainReadAsync(store, "k");

        var a = await store.MarkStaleAsync("k", seen.Cas, TimeSpan.FromSeconds(30), LeaseTime);
        var b = await store.MarkStaleAsync("k", seen.Cas, TimeSpan.FromSeconds(30), LeaseTime);

        Assert.Equal(("old", StoreLeaseState.Won | StoreLeaseState.Stale), (Text(a), a.Lease));
        Assert.Equal(("old", StoreLeaseState.Held | StoreLeaseState.Stale, a.Cas), (Text(b), b.Lease, b.Cas));
        Assert.NotEqual(seen.Cas, a.Cas);
        Assert.Equal(StoreLeaseState.Held | StoreLeaseState.Stale, (await PlainReadAsync(store, "k")).Lease);
        Assert.Equal(StoreSetResult.Conflict, await WriteAsync(store, "k", "slow", seen.Cas)); // the pre-mark CAS lost
        Assert.Equal(StoreSetResult.Stored, await WriteAsync(store, "k", "new", a.Cas));
        var fresh = await PlainReadAsync(store, "k");
        Assert.Equal(("new", StoreLeaseState.None), (Text(fresh), fresh.Lease));
    }

    [Fact]
    public async Task Mark_with_another_cas_leaves_the_item_alone()
    {
        var store = NewStore();
        await WriteAsync(store, "k", "v"); // 300 s
        var seen = await PlainReadAsync(store, "k");

        var read = await store.MarkStaleAsync("k", seen.Cas + 1, TimeSpan.FromSeconds(1), LeaseTime);

        Assert.Equal(("v", seen.Cas, StoreLeaseState.None), (Text(read), read.Cas, read.Lease));
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(StoreLeaseState.None, (await PlainReadAsync(store, "k")).Lease); // neither marked nor its TTL cut
    }

    [Fact]
    public async Task Mark_of_a_missing_key_stores_a_placeholder_and_wins()
    {
        var store = NewStore();

        var read = await store.MarkStaleAsync("k", 42, TimeSpan.FromSeconds(30), LeaseTime);

        Assert.Equal((true, 0, StoreLeaseState.Won), (read.Found, read.Value.Length, read.Lease));
        _time.Advance(LeaseTime);
        Assert.False((await PlainReadAsync(store, "k")).Found); // the placeholder lives for the lease, not staleFor
    }

    [Fact]
    public async Task Marked_item_lives_exactly_stale_for_then_the_next_reader_wins_a_placeholder()
    {
        var store = NewStore();
        await store.SetAsync("short", "v"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(1), flags: 0, cas: 0);
        await WriteAsync(store, "long", "v");
        var staleFor = TimeSpan.FromSeconds(2.5);
        await store.MarkStaleAsync("short", (await PlainReadAsync(store, "short")).Cas, staleFor, LeaseTime);
        await store.MarkStaleAsync("long", (await PlainReadAsync(store, "long")).Cas, staleFor, LeaseTime);

        _time.Advance(staleFor - OneTick);
        Assert.True((await PlainReadAsync(store, "short")).Found); // md I T sets the expiry, longer or shorter
        Assert.True((await PlainReadAsync(store, "long")).Found);
        _time.Advance(OneTick);
        Assert.False((await PlainReadAsync(store, "long")).Found);
        var next = await LeaseReadAsync(store, "short");
        Assert.Equal((StoreLeaseState.Won, 0), (next.Lease, next.Value.Length)); // the stale value is gone
    }

    [Fact]
    public async Task A_waiters_mark_takes_over_the_lease_of_a_slow_winner_who_then_conflicts()
    {
        var store = NewStore();
        var slow = await LeaseReadAsync(store, "k");
        var b = await LeaseReadAsync(store, "k");
        var c = await LeaseReadAsync(store, "k");

        var bTakes = await store.MarkStaleAsync("k", b.Cas, TimeSpan.FromSeconds(30), LeaseTime);
        var cTakes = await store.MarkStaleAsync("k", c.Cas, TimeSpan.FromSeconds(30), LeaseTime);

        Assert.Equal((0, StoreLeaseState.Won | StoreLeaseState.Stale), (bTakes.Value.Length, bTakes.Lease)); // memcached: VA 0 … X W
        Assert.Equal((bTakes.Cas, StoreLeaseState.Held | StoreLeaseState.Stale), (cTakes.Cas, cTakes.Lease));
        Assert.Equal(StoreSetResult.Conflict, await WriteAsync(store, "k", "aaa", slow.Cas));
        Assert.Equal(StoreSetResult.Stored, await WriteAsync(store, "k", "bbb", bTakes.Cas));
        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, "k")).Lease);
    }
}
