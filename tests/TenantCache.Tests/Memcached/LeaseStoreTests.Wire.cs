using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>The exact lease commands, replies in step on a shared connection, misbehaving servers, bad arguments.</summary>
public sealed partial class LeaseStoreTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1.2);

    [Fact(Timeout = 30_000)]
    public async Task The_commands_on_the_wire_are_exactly_the_documented_ones()
    {
        var lines = new ConcurrentQueue<string>();
        await using var fake = FakeMemcachedServer.Scripted(line =>
        {
            lines.Enqueue(line);
            return line switch
            {
                _ when line.StartsWith("md ", StringComparison.Ordinal) => "EX {O}\r\n",
                _ when line.StartsWith("mg k v ", StringComparison.Ordinal) => "VA 0 f0 c5 t2 {O} W\r\n\r\n",
                _ when line.StartsWith("mg k ", StringComparison.Ordinal) => "HD f0 c5 t2 {O} W\r\n",
                _ => null,
            };
        });
        await using var store = FakeStore(fake);

        var results = new StoreItem[1];
        await store.GetManyAsync(new[] { "k" }, results, ReadOnlyMemory<ulong>.Empty, new StoreLease(0, Short, TimeSpan.FromSeconds(9.1)));
        await store.GetManyAsync(new[] { "k" }, results, new ulong[] { 3 }, new StoreLease(0, Short));
        await store.MarkStaleAsync("k", 5, TimeSpan.FromSeconds(2.5), Short);
        await store.DeleteAsync("k", 5);

        var sent = lines.Where(l => l != "stats settings").ToArray();
        Assert.Equal(
            ["mg k v f c N2 R10 t", "mg k f c N2 t", "mg k v f c t", "md k C5 I T3 q", "mg k v f c N2 t", "md k C5"],
            sent.Select(l => Regex.Replace(l, @" O\d+$", "")));
        Assert.Equal(Opaque(sent[3]), Opaque(sent[4])); // the md+mg pair is one request
    }

    [Fact(Timeout = 30_000)]
    public async Task When_the_item_changed_between_the_two_reads_the_lease_state_is_the_second_reads()
    {
        await using var fake = FakeMemcachedServer.Scripted(line => line.StartsWith("mg k f c N", StringComparison.Ordinal)
            ? "HD f0 c5 t30 {O} W\r\n" // the first read won version c5 ...
            : line.StartsWith("mg k v", StringComparison.Ordinal) ? "VA 1 f0 c9 t30 {O} Z\r\nx\r\n" : null); // ... replaced by c9, leased by another
        await using var store = FakeStore(fake);
        var results = new StoreItem[1];
        await store.GetManyAsync(new[] { "k" }, results, new ulong[] { 3 }, new StoreLease(0, Lease));
        Assert.Equal((9ul, StoreLeaseState.Held, "x"), (results[0].Cas, results[0].Lease, Encoding.ASCII.GetString(results[0].Value.Span)));
    }

    public static TheoryData<string, string> BrokenPairReplies() => new()
    {
        { "HD {O}\r\n", "VA 0 {O} W\r\n\r\n" },  // the server ignored q
        { "EX O999999\r\n", "VA 0 {O} W\r\n\r\n" },  // another request's opaque
        { "EX {O}\r\nEX {O}\r\n", "VA 0 {O} W\r\n\r\n" },  // two answers to one md
        { "SERVER_ERROR out of memory\r\n", "VA 0 {O} W\r\n\r\n" },  // which command it answers is unknown
        { "EX {O}\r\n", "NOT A REPLY\r\n" },
        { "EX {O}\r\n", "HD {O} W\r\n" },  // no value, though the mg asked for it
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(BrokenPairReplies))]
    public async Task A_broken_reply_to_the_mark_stale_pair_is_a_protocol_error_and_the_next_connection_works(string mdReply, string mgReply)
    {
        var broken = 1;
        await using var fake = FakeMemcachedServer.Scripted(line =>
            line.StartsWith("md ", StringComparison.Ordinal) ? mdReply
            : line.Contains(" N", StringComparison.Ordinal) && Interlocked.Exchange(ref broken, 0) == 1 ? mgReply
            : null);
        await using var store = FakeStore(fake);

        await Assert.ThrowsAsync<MemcachedProtocolException>(async () => await store.MarkStaleAsync("k", 5, Lease, Lease));

        await Eventually.SucceedsAsync(async () => Assert.False((await store.Client.GetAsync("k")).Found), TimeSpan.FromSeconds(10));
        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task On_one_connection_mark_stale_replies_stay_in_step_with_pipelined_reads()
    {
        await using var store = new MemcachedCacheStore(TestOptions.Relaxed(fixture.Server.Endpoint, connectionsPerServer: 1));
        var keys = Enumerable.Range(0, 30).Select(i => TestKeys.Unique("p" + i)).ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            await store.SetAsync(keys[i], Encoding.ASCII.GetBytes("v" + i), StoreSetMode.Set, Ttl);
        }

        // EX (wrong CAS), NF (gone) and plain reads interleaved in the same writes.
        var calls = keys.Select(async (key, i) =>
        {
            var marked = i % 3 == 0 ? await store.MarkStaleAsync(key, 1, Lease, Lease) : await store.MarkStaleAsync(TestKeys.Unique("gone"), 1, Lease, Lease);
            var read = await ReadAsync(store, key);
            return (i, marked, read);
        }).ToArray();
        foreach (var (i, marked, read) in await Task.WhenAll(calls))
        {
            Assert.Equal(i % 3 == 0 ? "v" + i : "", Encoding.ASCII.GetString(marked.Value.Span));
            Assert.Equal(i % 3 == 0 ? StoreLeaseState.None : StoreLeaseState.Won, marked.Lease);
            Assert.Equal("v" + i, Encoding.ASCII.GetString(read.Value.Span));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Bad_arguments_are_rejected_before_anything_is_sent()
    {
        await using var fake = FakeMemcachedServer.Scripted(_ => null);
        await using var store = FakeStore(fake);
        await store.Client.PingAsync(store.Client.Servers[0]);
        var before = fake.CommandCount;
        var results = new StoreItem[2];

        Assert.Equal("cas", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkStaleAsync("k", 0, Lease, Lease))).ParamName);
        Assert.Equal("cas", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.DeleteAsync("k", 0))).ParamName);
        Assert.Equal("staleFor", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkStaleAsync("k", 1, TimeSpan.Zero, Lease))).ParamName);
        Assert.Equal("leaseDuration", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkStaleAsync("k", 1, Lease, TimeSpan.FromSeconds(-1)))).ParamName);
        Assert.Equal("lease", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetManyAsync(new[] { "a", "b" }, results, ReadOnlyMemory<ulong>.Empty, new StoreLease(2, Lease)))).ParamName);
        Assert.Equal("lease", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetManyAsync(new[] { "a" }, results, ReadOnlyMemory<ulong>.Empty, default(StoreLease)))).ParamName);
        Assert.Equal("knownCas", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetManyAsync(new[] { "a", "b" }, results, new ulong[] { 1 }, new StoreLease(0, Lease)))).ParamName);
        Assert.Equal("results", (await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetManyAsync(new[] { "a", "b" }, new StoreItem[1], ReadOnlyMemory<ulong>.Empty, new StoreLease(0, Lease)))).ParamName);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.MarkStaleAsync("bad key", 1, Lease, Lease));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.DeleteAsync(new string('x', 251), 1));

        await store.Client.PingAsync(store.Client.Servers[0]);
        Assert.Equal(before + 1, fake.CommandCount);
    }

    private static MemcachedCacheStore FakeStore(FakeMemcachedServer fake) => new(new MemcachedOptions
    {
        Servers = fake.Endpoint,
        OperationTimeout = TimeSpan.FromSeconds(5),
        StallTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectionsPerServer = 1,
        FailureThreshold = 10,
    });

    private static string Opaque(string line) => line[(line.LastIndexOf(' ') + 1)..];
}
