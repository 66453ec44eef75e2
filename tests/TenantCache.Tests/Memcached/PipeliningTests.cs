using System.Text;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

public sealed class PipeliningTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task Hundreds_of_concurrent_callers_on_one_connection_each_get_their_own_value()
    {
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = fixture.Server.Endpoint,
            ConnectionsPerServer = 1,
            OperationTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        var prefix = TestKeys.Unique("pipe");

        async Task Caller(int i)
        {
            var key = $"{prefix}:{i}";
            var value = Encoding.ASCII.GetBytes($"value-{i}-" + new string((char)('a' + (i % 26)), i % 300));
            Assert.Equal(MemcachedStoreResult.Stored, await client.SetAsync(key, value, clientFlags: (uint)i));
            for (var round = 0; round < 5; round++)
            {
                var item = await client.GetAsync(key);
                Assert.Equal(value, item.Value.ToArray());
                Assert.Equal((uint)i, item.ClientFlags);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => Caller(i))));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cancelled_request_already_written_does_not_desynchronise_the_stream()
    {
        await using var server = await MemcachedServer.StartAsync();
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = server.Endpoint,
            ConnectionsPerServer = 1,
            OperationTimeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        await client.SetAsync("a", "value-a"u8.ToArray());
        await client.SetAsync("b", "value-b"u8.ToArray());

        server.Pause();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetAsync("a", cancel.Token));
        }
        finally
        {
            server.Resume();
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("value-b", Encoding.ASCII.GetString((await client.GetAsync("b")).Value.Span));
            Assert.Equal("value-a", Encoding.ASCII.GetString((await client.GetAsync("a")).Value.Span));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_cancelled_token_fails_before_sending()
    {
        await using var client = new MemcachedClient(TestOptions.Relaxed(fixture.Server.Endpoint, connectionsPerServer: 1));
        var key = TestKeys.Unique();
        await client.SetAsync(key, "x"u8.ToArray());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.SetAsync(key, "y"u8.ToArray(), cancellationToken: cancelled.Token));
        Assert.Equal("x", Encoding.ASCII.GetString((await client.GetAsync(key)).Value.Span));
    }
}
