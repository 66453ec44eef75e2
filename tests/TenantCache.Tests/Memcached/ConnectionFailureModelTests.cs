using System.Diagnostics;
using System.Runtime.CompilerServices;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>
/// The connection's failure model (issue 9): a slow reply costs its own caller only, a failed send
/// fails every caller at once, a brownout does not flap the node, the backlog is bounded and requests
/// never written get a second chance on a fresh connection.
/// </summary>
public sealed class ConnectionFailureModelTests
{
    [Fact(Timeout = 60_000)]
    public async Task One_reply_late_past_the_timeout_among_200_pipelined_fails_one_request_not_200()
    {
        // The late reply holds back every reply behind it (memcached answers in order), so the others
        // are sent 1 s later: they wait behind it, but within their own 2 s.
        await using var fake = FakeMemcachedServer.WithReplyDelays(line => line.Contains(" slow ", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(2600) : TimeSpan.Zero);
        await using var client = Client(fake.Endpoint, TimeSpan.FromSeconds(2), stall: TimeSpan.FromSeconds(8));
        await client.PingAsync(client.Servers[0]);

        var slow = client.GetAsync("slow").AsTask();
        await Task.Delay(1000);
        var others = Enumerable.Range(0, 199).Select(i => client.GetAsync("k" + i).AsTask()).ToArray();

        await Assert.ThrowsAsync<MemcachedTimeoutException>(() => slow);
        var failures = 0;
        foreach (var other in others)
        {
            try
            {
                Assert.False((await other).Found);
            }
            catch (MemcachedException)
            {
                failures++;
            }
        }

        Assert.Equal(0, failures);
        Assert.Equal(1, fake.ConnectionCount); // the connection survived the timeout
        Assert.False((await client.GetAsync("after")).Found);
    }

    [Fact(Timeout = 60_000)]
    public async Task After_a_timeout_new_requests_go_to_another_connection_until_the_late_one_answers()
    {
        await using var fake = FakeMemcachedServer.WithReplyDelays(line => line.Contains(" slow ", StringComparison.Ordinal) ? TimeSpan.FromSeconds(3) : TimeSpan.Zero);
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            OperationTimeout = TimeSpan.FromMilliseconds(500),
            StallTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectionsPerServer = 2,
        });
        await Eventually.SucceedsAsync(async () =>
        {
            // Opening both connections may take longer than 500 ms on a loaded machine: the warm-up retries.
            await Task.WhenAll(client.PingAsync(client.Servers[0]).AsTask(), client.PingAsync(client.Servers[0]).AsTask());
            Assert.Equal(2, fake.ConnectionCount);
        }, TimeSpan.FromSeconds(20));

        await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await client.GetAsync("slow"));

        // Round-robin alone would queue every second request behind the late reply (3 s > 500 ms).
        for (var i = 0; i < 20; i++)
        {
            Assert.False((await client.GetAsync("next" + i)).Found);
        }

        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_call_that_must_open_a_connection_still_ends_within_the_operation_timeout()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.SilentHandshake);
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            OperationTimeout = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(20), // before, the connect alone could take this long
        });

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await client.GetAsync("cold"));
        await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await client.SetAsync("cold", "v"u8.ToArray()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"two cold calls took {watch.Elapsed}; the connect timeout is 20 s");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_send_that_fails_in_the_middle_of_a_batch_fails_every_caller_at_once_with_a_connection_error()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.ResetUnread);
        await using var client = Client(fake.Endpoint, TimeSpan.FromSeconds(20));
        var watch = Stopwatch.StartNew();

        // ~20 MB of commands: more than loopback buffers hold while the server reads nothing, so the
        // writer is inside a send, holding most of the batch, when the server resets the connection.
        var keys = Enumerable.Range(0, 80_000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + new string('x', 230)).ToArray();
        Task batch = client.GetManyAsync(keys).AsTask();
        await Task.Delay(50);
        var singles = Enumerable.Range(0, 20).Select(i => client.GetAsync("single" + i).AsTask()).ToArray();

        await Assert.ThrowsAsync<MemcachedConnectionException>(() => batch);
        foreach (var single in singles)
        {
            await Assert.ThrowsAsync<MemcachedConnectionException>(() => single);
        }

        // Each connection resets 300 ms after opening; the unwritten requests got one second connection.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"callers waited {watch.Elapsed}; the operation timeout is 20 s");
        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task Requests_never_written_when_their_connection_died_are_sent_again_on_a_fresh_one()
    {
        await using var fake = FakeMemcachedServer.Start(i => i == 0 ? FakeBehavior.ResetUnread : FakeBehavior.Proper);
        await using var client = Client(fake.Endpoint, TimeSpan.FromSeconds(20));

        var keys = Enumerable.Range(0, 80_000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + new string('y', 230)).ToArray();
        Task batch = client.GetManyAsync(keys).AsTask();
        await Task.Delay(50);
        var queuedBehind = Enumerable.Range(0, 20).Select(i => client.GetAsync("behind" + i).AsTask()).ToArray();

        // Part of the batch was on the wire when the connection died: it fails, never silently retried.
        await Assert.ThrowsAsync<MemcachedConnectionException>(() => batch);
        foreach (var request in queuedBehind)
        {
            Assert.False((await request).Found); // never written, so sent again, and answered
        }

        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_brownout_node_answering_some_replies_late_is_never_marked_down_and_keeps_its_connections()
    {
        var commands = 0;
        var brownout = new StrongBox<bool>(true); // off before the last request, which must not meet a late reply
        await using var fake = FakeMemcachedServer.WithReplyDelays(line =>
            Volatile.Read(ref brownout.Value) && line.StartsWith("mg", StringComparison.Ordinal) && Interlocked.Increment(ref commands) % 10 == 0 ? TimeSpan.FromMilliseconds(450) : TimeSpan.Zero);
        using var counts = new ServerCounters(fake.Endpoint);
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            StallTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectionsPerServer = 2,
            FailureThreshold = 1, // the most sensitive setting: one counted failure marks it down
        });

        var timeouts = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = 0; i < 25; i++)
            {
                try
                {
                    await client.GetAsync($"w{worker}-{i}");
                }
                catch (MemcachedTimeoutException)
                {
                    Interlocked.Increment(ref timeouts);
                }
            }
        }));

        Volatile.Write(ref brownout.Value, false);
        Assert.True(timeouts > 0, "no reply was late: the brownout was not felt");
        Assert.Equal(0, counts.Get("tenantcache.memcached.node_down"));
        Assert.Equal(0, counts.Get("tenantcache.memcached.connections.closed"));
        Assert.Equal(2, fake.ConnectionCount);
        Assert.False((await client.GetAsync("after")).Found);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_full_backlog_refuses_at_once_with_a_typed_error_and_the_engine_serves_a_miss()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.Silence);
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            OperationTimeout = TimeSpan.FromSeconds(10),
            ConnectionsPerServer = 1,
            MaxPendingRequests = 10,
        });
        var waiting = Enumerable.Range(0, 10).Select(i => client.GetAsync("k" + i).AsTask()).ToArray();
        await Eventually.SucceedsAsync(() => Assert.ThrowsAsync<MemcachedBacklogFullException>(async () => await client.GetAsync("probe")), TimeSpan.FromSeconds(10));

        var watch = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<MemcachedBacklogFullException>(async () => await client.GetAsync("one-too-many"));
        Assert.IsAssignableFrom<CacheStoreException>(refused);
        Assert.Contains("10", refused.Message);

        var cache = new ApplicationCache(new MemcachedCacheStore(client), new TenantCacheOptions { Application = "backlog" });
        Assert.False((await cache.Tenant("t").GetAsync<string>("key")).HasValue);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refusal took {watch.Elapsed}");
        Assert.Equal(1, fake.ConnectionCount);
        Assert.All(waiting, w => Assert.False(w.IsCompleted)); // still waiting on the silent server, not failed by the refusal
    }

    private static MemcachedClient Client(string endpoint, TimeSpan timeout, TimeSpan? stall = null) => new(new MemcachedOptions
    {
        Servers = endpoint,
        OperationTimeout = timeout,
        StallTimeout = stall,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectionsPerServer = 1,
        FailureThreshold = 10,
        MaxPendingRequests = 200_000, // the 80,000-key batches below are not refused
    });
}
