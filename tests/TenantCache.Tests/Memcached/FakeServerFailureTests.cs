using System.Diagnostics;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>Misbehaving servers: each fails the request with a typed exception within the timeout,
/// the connection is replaced (at once for a broken stream, by the stall detector for a silent one),
/// and a later request succeeds.</summary>
public sealed class FakeServerFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static TheoryData<FakeBehavior, Type> Cases() => new()
    {
        { FakeBehavior.Garbage, typeof(MemcachedProtocolException) },
        { FakeBehavior.WrongOpaque, typeof(MemcachedProtocolException) },
        { FakeBehavior.HalfReply, typeof(MemcachedTimeoutException) },
        { FakeBehavior.Silence, typeof(MemcachedTimeoutException) },
        { FakeBehavior.Close, typeof(MemcachedConnectionException) },
        { FakeBehavior.SilentHandshake, typeof(MemcachedTimeoutException) },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Cases))]
    public async Task Misbehaving_connection_fails_typed_within_timeout_then_is_replaced(FakeBehavior behavior, Type expected)
    {
        await using var fake = FakeMemcachedServer.FirstConnection(behavior);
        await using var client = NewClient(fake.Endpoint);

        var watch = Stopwatch.StartNew();
        Exception error = await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("some-key"));
        watch.Stop();

        Assert.IsType(expected, error);
        Assert.IsAssignableFrom<CacheStoreException>(error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"failure took {watch.Elapsed}");

        // A silent connection is not closed by its caller's timeout; the stall detector closes it.
        await Eventually.SucceedsAsync(async () => Assert.False((await client.GetAsync("some-key")).Found), TimeSpan.FromSeconds(15));
        Assert.Equal(MemcachedStoreResult.Stored, await client.SetAsync("some-key", "v"u8.ToArray()));
        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_request_on_a_silent_connection_times_out_and_the_stall_detector_replaces_it()
    {
        await using var fake = FakeMemcachedServer.FirstConnection(FakeBehavior.Silence);
        await using var client = NewClient(fake.Endpoint);

        var watch = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 50).Select(i => client.GetAsync("k" + i).AsTask()).ToArray();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await call);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"failures took {watch.Elapsed}");
        await Eventually.SucceedsAsync(async () => Assert.False((await client.GetAsync("k")).Found), TimeSpan.FromSeconds(15));
        Assert.Equal(2, fake.ConnectionCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Invalid_requests_never_reach_the_server()
    {
        await using var fake = FakeMemcachedServer.FirstConnection(FakeBehavior.Proper);
        await using var client = NewClient(fake.Endpoint);
        await client.PingAsync(client.Servers[0]);
        var before = fake.CommandCount;

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SetAsync("bad key", "x"u8.ToArray()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SetAsync("key", new byte[2 * 1024 * 1024]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.GetAsync(new string('x', 251)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.TouchAsync("key", TimeSpan.FromSeconds(-5)));

        await client.PingAsync(client.Servers[0]);
        Assert.Equal(before + 1, fake.CommandCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_node_failing_repeatedly_is_marked_down_and_fails_fast()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.Close);
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            OperationTimeout = Timeout,
            ConnectTimeout = Timeout,
            ConnectionsPerServer = 1,
            FailureThreshold = 3,
            RetryDelay = TimeSpan.FromMinutes(1),
            MaxRetryDelay = TimeSpan.FromMinutes(1),
        });

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("k"));
        }

        var connections = fake.ConnectionCount;
        var watch = Stopwatch.StartNew();
        var down = await Assert.ThrowsAsync<MemcachedConnectionException>(async () => await client.GetAsync("k"));
        Assert.Contains("marked down", down.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"fail-fast took {watch.Elapsed}");
        Assert.Equal(connections, fake.ConnectionCount);
    }

    private static MemcachedClient NewClient(string endpoint) => new(new MemcachedOptions
    {
        Servers = endpoint,
        OperationTimeout = Timeout,
        StallTimeout = Timeout,
        ConnectTimeout = Timeout,
        ConnectionsPerServer = 1,
        FailureThreshold = 10,
    });
}
