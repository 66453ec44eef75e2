using System.Text;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>Marking stale (<c>md … C I T q</c> + <c>mg … N</c>), early refresh (<c>R</c>), and a known CAS on the lease key.</summary>
public sealed partial class LeaseStoreTests
{
    [Fact(Timeout = 30_000)]
    public async Task Two_callers_marking_with_the_same_cas_make_exactly_one_winner()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "old"u8.ToArray(), StoreSetMode.Set, Ttl);
        var seen = await ReadAsync(_a, key);
        Assert.Equal(StoreLeaseState.None, seen.Lease);

        var marks = await Task.WhenAll(
            _a.MarkStaleAsync(key, seen.Cas, Lease, Lease).AsTask(),
            _b.MarkStaleAsync(key, seen.Cas, Lease, Lease).AsTask());

        var winner = Assert.Single(marks, m => m.Lease == (StoreLeaseState.Won | StoreLeaseState.Stale));
        var loser = Assert.Single(marks, m => m.Lease == (StoreLeaseState.Held | StoreLeaseState.Stale));
        Assert.All(marks, m => Assert.Equal("old", Encoding.ASCII.GetString(m.Value.Span))); // the stale value, to serve if allowed
        Assert.NotEqual(seen.Cas, winner.Cas); // marking gives a new CAS ...
        Assert.Equal(winner.Cas, loser.Cas);  // ... the one both read after it
        Assert.Equal(StoreLeaseState.Held | StoreLeaseState.Stale, (await ReadAsync(_b, key)).Lease);

        Assert.Equal(StoreSetResult.Conflict, await _b.SetAsync(key, "x"u8.ToArray(), StoreSetMode.Set, Ttl, 0, seen.Cas));
        Assert.Equal(StoreSetResult.Stored, await _a.SetAsync(key, "new"u8.ToArray(), StoreSetMode.Set, Ttl, 0, winner.Cas));
        var fresh = await ReadAsync(_b, key);
        Assert.Equal(("new", StoreLeaseState.None), (Encoding.ASCII.GetString(fresh.Value.Span), fresh.Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task Marking_with_another_cas_leaves_the_item_untouched()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "v"u8.ToArray(), StoreSetMode.Set, Ttl);
        var seen = await ReadAsync(_a, key);

        var result = await _a.MarkStaleAsync(key, seen.Cas + 1000, TimeSpan.FromSeconds(1), Lease); // EX, then the mg
        Assert.Equal((true, "v", seen.Cas, StoreLeaseState.None), (result.Found, Encoding.ASCII.GetString(result.Value.Span), result.Cas, result.Lease));
        var after = await _a.Client.GetAsync(key);
        Assert.Equal(seen.Cas, after.Cas);
        Assert.InRange(after.RemainingTtl!.Value.TotalSeconds, 290, 301); // not cut to the 1 s the mark asked for

        // A key that is gone: the md answers NF, the mg that follows creates a placeholder and wins it.
        var gone = TestKeys.Unique();
        var vivified = await _b.MarkStaleAsync(gone, 12345, Lease, Lease);
        Assert.Equal((StoreLeaseState.Won, 0), (vivified.Lease, vivified.Value.Length));

        // The client tells the three md outcomes apart: EX and NF came, HD was hidden by q.
        Assert.False((await _a.Client.MarkStaleAsync(key, seen.Cas + 1000, 30, 30, default)).Marked);
        Assert.False((await _a.Client.MarkStaleAsync(TestKeys.Unique(), 1, 30, 30, default)).Marked);
        var (item, marked) = await _a.Client.MarkStaleAsync(key, seen.Cas, 30, 30, default);
        Assert.Equal((true, StoreLeaseState.Won | StoreLeaseState.Stale), (marked, item.Lease));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_marked_item_dies_after_stale_for_and_the_next_reader_wins_a_placeholder()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "old"u8.ToArray(), StoreSetMode.Set, Ttl);
        var seen = await ReadAsync(_a, key);
        var marked = await _a.MarkStaleAsync(key, seen.Cas, TimeSpan.FromSeconds(1), Lease); // T1
        Assert.Equal(StoreLeaseState.Won | StoreLeaseState.Stale, marked.Lease);

        // The winner never writes back: the stale value is served with Z X until it dies, then a miss vivifies.
        var started = DateTime.UtcNow;
        StoreItem later;
        do
        {
            later = await ReadAsync(_b, key);
            if (later.Lease.HasFlag(StoreLeaseState.Stale))
            {
                Assert.Equal(("old", StoreLeaseState.Held | StoreLeaseState.Stale), (Encoding.ASCII.GetString(later.Value.Span), later.Lease));
                await Task.Delay(100);
            }
        }
        while (later.Lease.HasFlag(StoreLeaseState.Stale) && DateTime.UtcNow - started < TimeSpan.FromSeconds(6));

        Assert.Equal((StoreLeaseState.Won, 0), (later.Lease, later.Value.Length));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3.5), $"the marked item lived {DateTime.UtcNow - started}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_hit_closer_to_expiry_than_refresh_before_wins_an_early_refresh()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "valid"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(100)); // t101 on the wire

        Assert.Equal(StoreLeaseState.None, (await ReadAsync(_a, key, refreshBefore: TimeSpan.FromSeconds(30))).Lease);
        var early = await ReadAsync(_a, key, refreshBefore: TimeSpan.FromSeconds(199.5)); // R200
        Assert.Equal(("valid", StoreLeaseState.Won), (Encoding.ASCII.GetString(early.Value.Span), early.Lease));
        var next = await ReadAsync(_b, key, refreshBefore: TimeSpan.FromSeconds(200));
        Assert.Equal(("valid", StoreLeaseState.Held, early.Cas), (Encoding.ASCII.GetString(next.Value.Span), next.Lease, next.Cas));

        Assert.Equal(StoreSetResult.Stored, await _a.SetAsync(key, "refreshed"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(100), 0, early.Cas));
        Assert.Equal(StoreLeaseState.None, (await ReadAsync(_b, key, refreshBefore: TimeSpan.FromSeconds(30))).Lease);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_known_cas_on_the_lease_key_skips_the_value_and_keeps_the_lease_state()
    {
        var key = TestKeys.Unique();
        await _a.SetAsync(key, "v1"u8.ToArray(), StoreSetMode.Set, Ttl);
        var v1 = await ReadAsync(_a, key);

        var unchanged = await ReadAsync(_a, key, knownCas: v1.Cas);
        Assert.Equal((true, v1.Cas, StoreLeaseState.None, 0), (unchanged.IsUnchanged, unchanged.Cas, unchanged.Lease, unchanged.Value.Length));

        await _a.SetAsync(key, "v2"u8.ToArray(), StoreSetMode.Set, Ttl);
        var changed = await ReadAsync(_a, key, knownCas: v1.Cas); // second batch, with the value
        Assert.Equal((false, "v2", StoreLeaseState.None), (changed.IsUnchanged, Encoding.ASCII.GetString(changed.Value.Span), changed.Lease));

        // Marked by another process, which won: the valueless first read sees Z X and a new CAS, so the
        // second batch reads the stale value.
        var marked = await _b.MarkStaleAsync(key, changed.Cas, Lease, Lease);
        Assert.Equal(StoreLeaseState.Won | StoreLeaseState.Stale, marked.Lease);
        var held = await ReadAsync(_a, key, knownCas: changed.Cas);
        Assert.Equal(("v2", marked.Cas, StoreLeaseState.Held | StoreLeaseState.Stale), (Encoding.ASCII.GetString(held.Value.Span), held.Cas, held.Lease));

        // Gone: the valueless first read vivifies and wins; the re-read sees its own lease as Z, the result says Won.
        Assert.True(await _b.DeleteAsync(key, marked.Cas));
        var won = await ReadAsync(_a, key, knownCas: changed.Cas);
        Assert.Equal((StoreLeaseState.Won, false, 0), (won.Lease, won.IsUnchanged, won.Value.Length));
        Assert.Equal(StoreLeaseState.Held, (await ReadAsync(_b, key)).Lease);

        // Known and unchanged while leased: no value, and the lease state.
        var same = await ReadAsync(_b, key, knownCas: won.Cas);
        Assert.Equal((true, StoreLeaseState.Held), (same.IsUnchanged, same.Lease));
    }
}
