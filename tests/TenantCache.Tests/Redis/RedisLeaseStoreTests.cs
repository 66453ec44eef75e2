using System.Text;
using TenantCache.Redis;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>memcached's lease rules on Redis, step by step (the same rules the memcached and in-process stores are held to).</summary>
public sealed class RedisLeaseStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static string NewKey() => "redis-lease:" + Guid.NewGuid().ToString("N");

    private static async Task<StoreItem> LeaseReadAsync(RedisCacheStore store, string key, TimeSpan? refreshBefore = null)
    {
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items, ReadOnlyMemory<ulong>.Empty, new StoreLease(0, Lease, refreshBefore ?? TimeSpan.Zero));
        return items[0];
    }

    private static async Task<StoreItem> PlainReadAsync(RedisCacheStore store, string key)
    {
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        return items[0];
    }

    [Fact]
    public async Task A_miss_vivifies_an_empty_placeholder_the_first_reader_wins_and_the_next_is_held()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        var first = await LeaseReadAsync(store, key);
        Assert.True(first.Found);
        Assert.Equal((0, StoreLeaseState.Won), (first.Value.Length, first.Lease));
        var second = await LeaseReadAsync(store, key);
        Assert.Equal((StoreLeaseState.Held, first.Cas), (second.Lease, second.Cas));
        Assert.Equal(StoreLeaseState.Held, (await PlainReadAsync(store, key)).Lease);
        var ttl = await store.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, Lease - TimeSpan.FromSeconds(5), Lease);

        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, "value"u8.ToArray(), StoreSetMode.Set, null, 0, first.Cas)); // the winner's write
        var after = await LeaseReadAsync(store, key);
        Assert.Equal(("value", StoreLeaseState.None), (Encoding.UTF8.GetString(after.Value.Span), after.Lease));
    }

    [Fact]
    public async Task Marking_with_the_cas_read_makes_exactly_one_winner_and_the_stale_value_stays()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        await store.SetAsync(key, "old"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromMinutes(10));
        var read = await PlainReadAsync(store, key);

        var winner = await store.MarkStaleAsync(key, read.Cas, TimeSpan.FromSeconds(20), Lease);
        var loser = await store.MarkStaleAsync(key, read.Cas, TimeSpan.FromSeconds(20), Lease);
        Assert.Equal(StoreLeaseState.Won | StoreLeaseState.Stale, winner.Lease);
        Assert.Equal(StoreLeaseState.Held | StoreLeaseState.Stale, loser.Lease);
        Assert.NotEqual(read.Cas, winner.Cas);
        Assert.Equal(winner.Cas, loser.Cas);
        Assert.Equal("old", Encoding.UTF8.GetString(loser.Value.Span));
        var ttl = await store.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20)); // lives at most stale-for more

        Assert.Equal(StoreSetResult.Conflict, await store.SetAsync(key, "late"u8.ToArray(), StoreSetMode.Set, null, 0, read.Cas));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, "new"u8.ToArray(), StoreSetMode.Set, null, 0, winner.Cas));
        Assert.Equal(StoreLeaseState.None, (await PlainReadAsync(store, key)).Lease);
    }

    [Fact]
    public async Task A_takeover_mark_hands_a_new_lease_and_the_old_winner_conflicts()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        var slow = await LeaseReadAsync(store, key); // a placeholder, won
        var taken = await store.MarkStaleAsync(key, slow.Cas, Lease, Lease);
        Assert.Equal(StoreLeaseState.Won | StoreLeaseState.Stale, taken.Lease);
        Assert.Equal(StoreSetResult.Conflict, await store.SetAsync(key, "slow"u8.ToArray(), StoreSetMode.Set, null, 0, slow.Cas));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, "taken"u8.ToArray(), StoreSetMode.Set, null, 0, taken.Cas));
    }

    [Fact]
    public async Task Refresh_before_wins_a_hit_near_its_end_once_and_a_cas_delete_gives_a_lease_back()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        await store.SetAsync(key, "v"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(10));
        Assert.Equal(StoreLeaseState.None, (await LeaseReadAsync(store, key, TimeSpan.FromSeconds(5))).Lease);
        var early = await LeaseReadAsync(store, key, TimeSpan.FromSeconds(20));
        Assert.Equal(StoreLeaseState.Won, early.Lease);
        Assert.Equal(StoreLeaseState.Held, (await LeaseReadAsync(store, key, TimeSpan.FromSeconds(20))).Lease);

        Assert.False(await store.DeleteAsync(key, early.Cas ^ 1));
        Assert.True(await store.DeleteAsync(key, early.Cas));
        Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, key)).Lease); // gone: the next reader wins a placeholder
    }

    [Fact]
    public async Task A_placeholder_expires_after_the_lease_and_the_next_reader_wins_again()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items, ReadOnlyMemory<ulong>.Empty, new StoreLease(0, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(StoreLeaseState.Won, items[0].Lease);
        await Eventually.TrueAsync(async () => !(await PlainReadAsync(store, key)).Found, TimeSpan.FromSeconds(5));
        Assert.Equal(StoreLeaseState.Won, (await LeaseReadAsync(store, key)).Lease);
    }
}
