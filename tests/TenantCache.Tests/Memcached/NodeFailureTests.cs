using System.Diagnostics;
using System.Text;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>Real memcached processes killed and frozen under a client.</summary>
public sealed class NodeFailureTests
{
    private static MemcachedOptions Options(string servers) => new()
    {
        Servers = servers,
        OperationTimeout = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(1),
        RetryDelay = TimeSpan.FromMilliseconds(200),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
    };

    [Fact(Timeout = 90_000)]
    public async Task Killed_node_fails_fast_with_typed_exceptions_and_recovers_after_restart()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var client = new MemcachedClient(Options(server.Endpoint));
        await Eventually.SucceedsAsync(async () => await client.SetAsync("k", "before"u8.ToArray()), TimeSpan.FromSeconds(20));

        server.Kill();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            Exception error = await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("k"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"a failure took {watch.Elapsed}");
            Assert.IsAssignableFrom<CacheStoreException>(error);
        }

        await server.RestartAsync();
        await Eventually.SucceedsAsync(async () => await client.SetAsync("k", "after"u8.ToArray()), TimeSpan.FromSeconds(30));
        Assert.Equal("after", Encoding.ASCII.GetString((await client.GetAsync("k")).Value.Span));
    }

    [Fact(Timeout = 90_000)]
    public async Task Killed_under_load_every_call_ends_quickly_with_a_value_or_a_typed_exception()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var client = new MemcachedClient(Options(server.Endpoint));
        await Eventually.SucceedsAsync(async () => await client.SetAsync("k", "v"u8.ToArray()), TimeSpan.FromSeconds(20));

        using var stop = new CancellationTokenSource();
        long ok = 0;
        long failed = 0;
        var slowest = TimeSpan.Zero;
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        async Task Worker(int id)
        {
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    await client.SetAsync("w" + id, "x"u8.ToArray());
                    await client.GetAsync("k");
                    Interlocked.Increment(ref ok);
                    await Task.Delay(2);
                }
                catch (MemcachedException)
                {
                    Interlocked.Increment(ref failed);
                    await Task.Delay(10);
                }
                catch (Exception e)
                {
                    unexpected.Add(e);
                }

                lock (unexpected)
                {
                    slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                }
            }
        }

        var workers = Enumerable.Range(0, 20).Select(i => Task.Run(() => Worker(i))).ToArray();
        await Task.Delay(300);
        server.Kill();
        await Task.Delay(1500);
        await server.RestartAsync();
        await Eventually.SucceedsAsync(async () => await client.SetAsync("k", "v"u8.ToArray()), TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        var all = Task.WhenAll(workers);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(15))));

        Assert.Empty(unexpected);
        Assert.True(ok > 0);
        Assert.True(failed > 0);
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"slowest call took {slowest}");
    }

    [Fact(Timeout = 90_000)]
    public async Task Paused_node_times_out_every_caller_within_bound_and_recovers_after_resume()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var client = new MemcachedClient(Options(server.Endpoint));
        await Eventually.SucceedsAsync(async () => await client.SetAsync("k", "v"u8.ToArray()), TimeSpan.FromSeconds(20));

        server.Pause();
        try
        {
            var watch = Stopwatch.StartNew();
            Task[] callers = Enumerable.Range(0, 100)
                .Select(i => Task.Run(async () => await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("k" + i))))
                .ToArray();
            var all = Task.WhenAll(callers);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(15))));
            await all;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"callers took {watch.Elapsed}");

            var again = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync("k"));
            Assert.True(again.Elapsed < TimeSpan.FromSeconds(3), $"a failure while paused took {again.Elapsed}");
        }
        finally
        {
            server.Resume();
        }

        await Eventually.SucceedsAsync(async () => await client.GetAsync("k"), TimeSpan.FromSeconds(30));
        Assert.Equal("v", Encoding.ASCII.GetString((await client.GetAsync("k")).Value.Span));
    }

    [Fact(Timeout = 90_000)]
    public async Task Keys_of_a_dead_node_fail_and_never_move_to_another_node()
    {
        await using var a = await MemcachedServer.StartAsync();
        await using var b = await MemcachedServer.StartAsync();
        await using var c = await MemcachedServer.StartAsync();
        await using var client = new MemcachedClient(Options($"{a.Endpoint},{b.Endpoint},{c.Endpoint}"));
        var keys = Enumerable.Range(0, 60).Select(i => "key-" + i).ToArray();
        foreach (var key in keys)
        {
            await client.SetAsync(key, Encoding.ASCII.GetBytes(key));
        }

        b.Kill();
        foreach (var key in keys)
        {
            var onDeadNode = client.Locate(key).ToString() == b.Endpoint;
            if (onDeadNode)
            {
                await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.SetAsync(key, "moved"u8.ToArray()));
                await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync(key));
            }
            else
            {
                Assert.Equal(key, Encoding.ASCII.GetString((await client.GetAsync(key)).Value.Span));
            }
        }

        await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetManyAsync(keys));

        // Nothing was written to the live nodes for the dead node's keys.
        await using var direct = new MemcachedClient(TestOptions.Relaxed($"{a.Endpoint},{c.Endpoint}"));
        foreach (var key in keys.Where(k => client.Locate(k).ToString() == b.Endpoint))
        {
            foreach (var live in new[] { a.Endpoint, c.Endpoint })
            {
                await using var one = new MemcachedClient(TestOptions.Relaxed(live));
                Assert.False((await one.GetAsync(key)).Found);
            }
        }
    }
}
