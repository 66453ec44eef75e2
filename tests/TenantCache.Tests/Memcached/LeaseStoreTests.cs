using System.Text;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>
/// <see cref="MemcachedCacheStore"/> as an <see cref="ILeaseCacheStore"/> against a real memcached 1.6.18:
/// each rule of research/hot-keys-and-leases.md §1.1–1.2. This file: leases on a miss, write-back, expiry,
/// delete. <c>LeaseStoreTests.Stale.cs</c>: marking stale, early refresh, known CAS. <c>LeaseStoreTests.Wire.cs</c>:
/// the exact commands and misbehaving servers.
/// </summary>
public sealed partial class LeaseStoreTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private MemcachedCacheStore _a = null!;
    private MemcachedCacheStore _b = null!;

    public Task InitializeAsync()
    {
        // Two processes of the fleet: separate clients, separate connections.
        _a = new MemcachedCacheStore(TestOptions.Relaxed(fixture.Server.Endpoint));
        _b = new MemcachedCacheStore(TestOptions.Relaxed(fixture.Server.Endpoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_miss_vivifies_a_placeholder_the_first_reader_wins_and_the_next_holds()
    {
        var (other, key, missing) = (TestKeys.Unique("o"), TestKeys.Unique(), TestKeys.Unique("m"));
        await _a.SetAsync(other, "x"u8.ToArray(), StoreSetMode.Set, Ttl);
        var results = new StoreItem[3];
        await _a.GetManyAsync(new[] { other, key, missing }, results, ReadOnlyMemory<ulong>.Empty, new StoreLease(1, Lease));

        Assert.Equal((true, StoreLeaseState.None), (results[0].Found, results[0].Lease)); // the other keys: ordinary reads
        Assert.False(results[2].Found);
        var won = results[1];
        Assert.True(won.Found);
        Assert.Equal(StoreLeaseState.Won, won.Lease);
        Assert.True(won.Value.IsEmpty); // the placeholder
        Assert.NotEqual(0ul, won.Cas);
        Assert.InRange((await _a.Client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 28, 30); // lives N30

        var held = await ReadAsync(_b, key);
        Assert.Equal((StoreLeaseState.Held, won.Cas, 0), (held.Lease, held.Cas, held.Value.Length));
        Assert.Equal(StoreLeaseState.Held, (await ReadAsync(_a, key)).Lease); // the winner too, once it has won
    }

    [Fact(Timeout = 30_000)]
    public async Task The_winners_cas_write_stores_and_clears_the_lease()
    {
        var key = TestKeys.Unique();
        var won = await ReadAsync(_a, key);
        Assert.Equal(StoreLeaseState.Won, won.Lease);

        Assert.Equal(StoreSetResult.Stored, await _a.SetAsync(key, "fresh"u8.ToArray(), StoreSetMode.Set, Ttl, flags: 7, cas: won.Cas));

        var hit = await ReadAsync(_b, key);
        Assert.Equal(("fresh", 7u, StoreLeaseState.None), (Encoding.ASCII.GetString(hit.Value.Span), hit.Flags, hit.Lease));
        Assert.NotEqual(won.Cas, hit.Cas);
        Assert.Equal(StoreLeaseState.None, (await ReadAsync(_a, key)).Lease); // no lease is out on it any more
    }

    [Fact(Timeout = 30_000)]
    public async Task A_write_with_a_cas_from_before_the_winners_write_is_a_conflict()
    {
        var key = TestKeys.Unique();
        var won = await ReadAsync(_a, key);
        var held = await ReadAsync(_b, key);
        Assert.Equal((StoreLeaseState.Won, StoreLeaseState.Held, won.Cas), (won.Lease, held.Lease, held.Cas));

        Assert.Equal(StoreSetResult.Stored, await _a.SetAsync(key, "winner"u8.ToArray(), StoreSetMode.Set, Ttl, 0, won.Cas));
        Assert.Equal(StoreSetResult.Conflict, await _b.SetAsync(key, "loser"u8.ToArray(), StoreSetMode.Set, Ttl, 0, held.Cas));
        Assert.Equal("winner", Encoding.ASCII.GetString((await ReadAsync(_b, key)).Value.Span));

        // The lease is advisory (§1.1): the holder shares the CAS and could write first; then the winner loses.
        var key2 = TestKeys.Unique();
        var won2 = await ReadAsync(_a, key2);
        var held2 = await ReadAsync(_b, key2);
        Assert.Equal(StoreSetResult.Stored, await _b.SetAsync(key2, "b"u8.ToArray(), StoreSetMode.Set, Ttl, 0, held2.Cas));
        Assert.Equal(StoreSetResult.Conflict, await _a.SetAsync(key2, "a"u8.ToArray(), StoreSetMode.Set, Ttl, 0, won2.Cas));
    }

    [Fact(Timeout = 30_000)]
    public async Task When_the_placeholder_expires_the_next_reader_wins_again()
    {
        var key = TestKeys.Unique();
        var first = await ReadAsync(_a, key, TimeSpan.FromSeconds(1.2)); // N2
        Assert.Equal(StoreLeaseState.Won, first.Lease);
        Assert.Equal(StoreLeaseState.Held, (await ReadAsync(_b, key, TimeSpan.FromSeconds(1.2))).Lease);

        // The winner never writes back (it crashed): within N2 plus memcached's 1 s tick somebody wins again.
        var started = DateTime.UtcNow;
        StoreItem again;
        do
        {
            await Task.Delay(100);
            again = await ReadAsync(_b, key, TimeSpan.FromSeconds(1.2));
        }
        while (again.Lease == StoreLeaseState.Held && DateTime.UtcNow - started < TimeSpan.FromSeconds(6));

        Assert.Equal(StoreLeaseState.Won, again.Lease);
        Assert.True(again.Value.IsEmpty);
        Assert.NotEqual(first.Cas, again.Cas); // a new placeholder
        Assert.True(DateTime.UtcNow - started > TimeSpan.FromSeconds(0.5), "the lease ended too early");
        Assert.Equal(StoreSetResult.Conflict, await _a.SetAsync(key, "late"u8.ToArray(), StoreSetMode.Set, Ttl, 0, first.Cas)); // the old winner's write
    }

    [Fact(Timeout = 30_000)]
    public async Task A_cas_guarded_delete_deletes_only_the_version_read()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "v"u8.ToArray(), StoreSetMode.Set, Ttl);
        var cas = (await ReadAsync(_a, key)).Cas;

        Assert.False(await _a.DeleteAsync(key, cas + 1)); // EX
        Assert.True((await ReadAsync(_b, key)).Found);
        Assert.True(await _a.DeleteAsync(key, cas)); // HD
        Assert.False((await _a.Client.GetAsync(key)).Found);
        Assert.False(await _a.DeleteAsync(key, cas)); // NF

        // Giving a lease back: the placeholder's CAS deletes it, and the next reader wins at once.
        var won = await ReadAsync(_a, key);
        Assert.Equal(StoreLeaseState.Won, won.Lease);
        Assert.True(await _a.DeleteAsync(key, won.Cas));
        Assert.Equal(StoreLeaseState.Won, (await ReadAsync(_b, key)).Lease);
    }

    /// <summary>A lease read of one key (<see cref="Lease"/> unless given).</summary>
    private static async Task<StoreItem> ReadAsync(MemcachedCacheStore store, string key, TimeSpan? lease = null, TimeSpan refreshBefore = default, ulong knownCas = 0)
    {
        var results = new StoreItem[1];
        var known = knownCas == 0 ? ReadOnlyMemory<ulong>.Empty : new ReadOnlyMemory<ulong>([knownCas]);
        await store.GetManyAsync(new[] { key }, results, known, new StoreLease(0, lease ?? Lease, refreshBefore));
        return results[0];
    }
}
