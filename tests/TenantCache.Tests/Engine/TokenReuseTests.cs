using Microsoft.Extensions.Time.Testing;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>
/// The token reuse window and its wait-out (docs/design.md, "Token reuse"), as deterministic
/// interleavings on a fake clock. Two <see cref="ApplicationCache"/> instances over one store are two
/// processes: each has its own token table. Every test here is built so that a wrong rule (waiting
/// one's own window instead of the replaced token's, counting a token's age from its reply instead
/// of its request, sharing a fetch sent before the read began) serves the invalidated value.
/// </summary>
public sealed class TokenReuseTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly GatedStore _store;

    public TokenReuseTests() => _store = new GatedStore(new MemoryCacheStore(timeProvider: _time));

    private ApplicationCache Process(TimeSpan window, ICacheStore? store = null) =>
        new(store ?? _store, new TenantCacheOptions { Application = "app", TokenReuseWindow = window, OperationTimeout = Timeout.InfiniteTimeSpan }, timeProvider: _time);

    [Fact]
    public async Task A_hit_with_fresh_tokens_reads_only_the_data_key()
    {
        var a = Process(Second).Tenant("t");
        await a.SetAsync("k", "v");
        var before = _store.KeysRead;
        Assert.Equal("v", (await a.GetAsync<string>("k")).Value);
        Assert.Equal(1, _store.KeysRead - before);

        _time.Advance(Second); // the window is over: the tokens are read again, with the data
        before = _store.KeysRead;
        Assert.Equal("v", (await a.GetAsync<string>("k")).Value);
        Assert.Equal(3, _store.KeysRead - before);
    }

    [Fact]
    public async Task An_invalidation_waits_out_the_window_the_replaced_token_promised_not_its_own()
    {
        var a = Process(Second).Tenant("t");
        var b = Process(TimeSpan.Zero).Tenant("t");
        await a.SetAsync("k", "old"); // tokens created by A: they promise a 1 s wait
        Assert.Equal("old", (await a.GetAsync<string>("k")).Value); // A reuses them from now on

        var clear = b.InvalidateAsync().AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(clear.IsCompleted); // B reuses nothing itself, but must wait A's promise
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await clear.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False((await a.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_tokens_age_counts_from_when_its_read_was_sent_not_answered()
    {
        var a = Process(Second).Tenant("t");
        var b = Process(Second).Tenant("t");
        await b.SetAsync("k", "old");

        // A's read of the tokens reaches the store now and sees the old tenant token; its answer is late.
        var held = _store.HoldNextRead();
        var read = a.GetAsync<string>("k").AsTask();
        await held.Reached;
        var clear = b.InvalidateAsync().AsTask(); // applied after A's read was served
        _time.Advance(TimeSpan.FromMilliseconds(900));
        held.Release();
        Assert.Equal("old", (await read).Value); // it began before the invalidation: allowed

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await clear.WaitAsync(TimeSpan.FromSeconds(10)); // returned 1 s after its write; A's token was *received* only 100 ms ago
        Assert.False((await a.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task An_invalidation_that_finds_no_token_waits_the_longest_window()
    {
        var a = Process(Second).Tenant("t");
        var b = Process(TimeSpan.FromMilliseconds(100)).Tenant("t");
        await a.SetAsync("k", "old");
        Assert.Equal("old", (await a.GetAsync<string>("k")).Value);
        Assert.True(await _store.DeleteAsync(ScopePath.ForApplication("app").Child("t").VersionKeys[1])); // the token's server restarted empty

        var clear = b.InvalidateAsync().AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(clear.IsCompleted); // B's own 100 ms would let A serve "old" for 900 ms more
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await clear.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False((await a.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_token_written_without_a_promise_is_never_reused()
    {
        var legacy = Process(Second, new DelegatingStore(_store.Inner)).Tenant("t"); // no flags: an older writer
        await legacy.SetAsync("k", "v");
        var a = Process(Second).Tenant("t");
        Assert.Equal("v", (await a.GetAsync<string>("k")).Value);
        var before = _store.KeysRead;
        Assert.Equal("v", (await a.GetAsync<string>("k")).Value);
        Assert.Equal(3, _store.KeysRead - before); // every read reads the tokens again
    }

    [Fact]
    public async Task The_invalidating_process_sees_its_invalidation_at_once_and_a_cancelled_wait_keeps_it()
    {
        var a = Process(Second).Tenant("t");
        var b = Process(TimeSpan.Zero).Tenant("t");
        await a.SetAsync("k", "old");
        Assert.Equal("old", (await a.GetAsync<string>("k")).Value);

        using var cancel = new CancellationTokenSource();
        var clear = a.InvalidateAsync(cancel.Token).AsTask();
        Assert.False(clear.IsCompleted);
        Assert.False((await a.GetAsync<string>("k")).HasValue); // during its own wait-out
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clear);
        Assert.False((await b.GetAsync<string>("k")).HasValue); // the new token was written
    }

    [Fact]
    public async Task Without_a_window_a_read_shares_only_a_fetch_sent_after_it_began()
    {
        var a = Process(TimeSpan.Zero).Tenant("t");
        var b = Process(TimeSpan.Zero).Tenant("t");
        await a.SetAsync("k", "old");

        var held = _store.HoldNextRead(); // A's first read: tokens and data, answered late
        var first = a.GetAsync<string>("k").AsTask();
        await held.Reached;
        var clear = b.InvalidateAsync().AsTask(); // the tokens were created just now: it waits the 1 s a vanished predecessor could be in use
        _time.Advance(Second);
        await clear.WaitAsync(TimeSpan.FromSeconds(10)); // never hang the suite on the fake clock

        // Began after the invalidation returned; the fetch in flight was sent before: it must not share it.
        var second = a.GetAsync<string>("k").AsTask();
        var third = a.GetAsync<string>("k").AsTask(); // waits for the same next fetch as the second
        held.Release();
        Assert.Equal("old", (await first).Value);
        Assert.False((await second).HasValue);
        Assert.False((await third).HasValue);
    }

    [Fact]
    public async Task A_set_is_stamped_with_the_last_tokens_seen_and_rewritten_only_when_they_changed()
    {
        var a = Process(Second).Tenant("t");
        var b = Process(Second).Tenant("t");
        await a.SetAsync("k", "v1");
        _time.Advance(Second); // A's tokens are known but too old to reuse
        var sets = _store.DataSets;
        await a.SetAsync("k", "v2"); // stamped with them while they are read: unchanged, one write
        Assert.Equal(1, _store.DataSets - sets);
        Assert.Equal("v2", (await b.GetAsync<string>("k")).Value);

        var clear = b.InvalidateAsync().AsTask();
        _time.Advance(Second);
        await clear.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(Second);
        sets = _store.DataSets;
        await a.SetAsync("k", "v3"); // the guess is stale: written again with the tokens read
        Assert.Equal(2, _store.DataSets - sets);
        Assert.Equal("v3", (await b.GetAsync<string>("k")).Value);
        Assert.Equal("v3", (await a.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task Tag_tokens_are_reused_and_waited_out_like_scope_tokens()
    {
        var a = Process(Second);
        var b = Process(TimeSpan.Zero);
        await a.Tenant("t").SetAsync("k", "old", new CacheEntryOptions { Tags = ["news"] });
        Assert.Equal("old", (await a.Tenant("t").GetAsync<string>("k")).Value);
        var before = _store.KeysRead;
        Assert.Equal("old", (await a.Tenant("t").GetAsync<string>("k")).Value);
        Assert.Equal(1, _store.KeysRead - before); // no second batch for the tag either

        var clear = b.InvalidateTagAsync("news").AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(clear.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await clear.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False((await a.Tenant("t").GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public void The_token_table_is_bounded_and_makes_room_from_tokens_past_their_window()
    {
        var table = new TokenTable(_time, Second, capacity: 2);
        var flags = TokenRecord.Flags(Second, Second);
        table.Observe("a", 1, flags, table.Begin());
        table.Observe("b", 2, flags, table.Begin());
        Assert.Equal(TokenRole.Known, table.Classify("a", table.Begin(), out var token, out _));
        Assert.Equal(1UL, token);

        Assert.Equal(TokenRole.Own, table.Classify("c", table.Begin(), out _, out var untracked));
        Assert.Null(untracked); // full of live tokens: "c" is read by each read, nothing shared

        _time.Advance(TimeSpan.FromSeconds(2)); // "a" and "b" can no longer be reused: swept
        Assert.Equal(TokenRole.Own, table.Classify("d", table.Begin(), out _, out var tracked));
        Assert.NotNull(tracked);
        table.Complete("d", tracked, 4, flags, failure: null);
        Assert.Equal(TokenRole.Known, table.Classify("d", table.Begin(), out token, out _));
        Assert.Equal(4UL, token);
    }

    /// <summary>A store whose next read is served at once (as a server would) but answered only when released.</summary>
    private sealed class GatedStore(MemoryCacheStore inner) : CasDelegatingStore(inner)
    {
        private Hold? _hold;
        private int _dataSets;

        /// <summary>Writes of data keys so far.</summary>
        public int DataSets => Volatile.Read(ref _dataSets);

        public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default)
        {
            if (IsDataKey(key))
            {
                Interlocked.Increment(ref _dataSets);
            }

            return base.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
        }

        public Hold HoldNextRead() => _hold = new Hold();

        public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _hold, null) is not { } hold)
            {
                await base.GetManyAsync(keys, results, knownCas, cancellationToken);
                return;
            }

            var served = new StoreItem[keys.Length];
            await base.GetManyAsync(keys, served, knownCas, cancellationToken);
            hold.Reach();
            await hold.Released;
            served.CopyTo(results);
        }
    }

    private sealed class Hold
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public Task Released => _released.Task;

        public void Reach() => _reached.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}
