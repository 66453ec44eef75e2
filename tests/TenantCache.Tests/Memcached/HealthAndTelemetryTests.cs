using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

public sealed class HealthAndTelemetryTests
{
    [Fact(Timeout = 30_000)]
    public async Task Down_node_is_probed_after_the_retry_delay_which_doubles_up_to_the_maximum()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.Close);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var client = new MemcachedClient(
            new MemcachedOptions
            {
                Servers = fake.Endpoint,
                ConnectionsPerServer = 1,
                FailureThreshold = 1,
                RetryDelay = TimeSpan.FromSeconds(1),
                MaxRetryDelay = TimeSpan.FromSeconds(3),
            },
            timeProvider: clock);

        await Assert.ThrowsAsync<MemcachedConnectionException>(async () => await client.GetAsync("k"));
        Assert.Equal(1, fake.ConnectionCount);

        async Task ExpectFailFast()
        {
            var error = await Assert.ThrowsAsync<MemcachedConnectionException>(async () => await client.GetAsync("k"));
            Assert.Contains("marked down", error.Message);
        }

        async Task ExpectProbe(int connections)
        {
            await Assert.ThrowsAsync<MemcachedConnectionException>(async () => await client.GetAsync("k"));
            Assert.Equal(connections, fake.ConnectionCount);
        }

        await ExpectFailFast();
        clock.Advance(TimeSpan.FromMilliseconds(900));
        await ExpectFailFast();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await ExpectProbe(2);                       // delay was 1 s; now 2 s

        clock.Advance(TimeSpan.FromMilliseconds(1900));
        await ExpectFailFast();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await ExpectProbe(3);                       // now 3 s (the maximum)

        clock.Advance(TimeSpan.FromMilliseconds(2900));
        await ExpectFailFast();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await ExpectProbe(4);                       // stays at 3 s
        clock.Advance(TimeSpan.FromMilliseconds(2900));
        await ExpectFailFast();
        Assert.Equal(4, fake.ConnectionCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Requests_failures_timeouts_and_node_down_are_counted_per_server()
    {
        await using var fake = FakeMemcachedServer.Start(_ => FakeBehavior.Silence);
        using var totals = new ServerCounters(fake.Endpoint);

        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fake.Endpoint,
            ConnectionsPerServer = 1,
            FailureThreshold = 1,
            OperationTimeout = TimeSpan.FromMilliseconds(300),
            RetryDelay = TimeSpan.FromMinutes(5),
            MaxRetryDelay = TimeSpan.FromMinutes(5),
        });
        await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await client.GetAsync("k"));

        // The timeout alone leaves the connection open; the stall detector closes it (900 ms: three
        // operation timeouts), which is the failure that marks the node down.
        await Eventually.SucceedsAsync(() =>
        {
            Assert.Equal(1, totals.Get("tenantcache.memcached.node_down"));
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<MemcachedConnectionException>(async () => await client.GetAsync("k"));

        Assert.Equal(1, totals.Get("tenantcache.memcached.requests"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.failures"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.timeouts"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.stalls"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.connections.opened"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.connections.closed"));
        Assert.Equal(1, totals.Get("tenantcache.memcached.node_down"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Keys_are_never_logged()
    {
        const string secret = "tenant-secret-4242";
        var logs = new ConcurrentQueue<(LogLevel Level, string Text)>();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingProvider(logs)));
        await using var server = await MemcachedServer.StartAsync();
        await using (var client = new MemcachedClient(new MemcachedOptions { Servers = server.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(100), FailureThreshold = 1, ConnectTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) }, loggerFactory))
        {
            await client.SetAsync(secret, "v"u8.ToArray());
            await client.GetManyAsync([secret, secret + "2"]);
            await client.SetAsync(secret + "n", "abc"u8.ToArray());
            await Assert.ThrowsAsync<MemcachedException>(async () => await client.IncrementAsync(secret + "n"));
            server.Kill();
            await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync(secret));
            await Assert.ThrowsAnyAsync<MemcachedException>(async () => await client.GetAsync(secret));
            await server.RestartAsync();
            await Eventually.SucceedsAsync(async () => await client.GetAsync(secret), TimeSpan.FromSeconds(20));
        }

        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Level == LogLevel.Warning);
        Assert.DoesNotContain(logs, l => l.Text.Contains(secret, StringComparison.Ordinal));
    }

    private sealed class CollectingProvider(ConcurrentQueue<(LogLevel, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(logs);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<(LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((logLevel, formatter(state, exception) + " " + exception));
        }
    }
}
