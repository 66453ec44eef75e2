using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TenantCache.Cli.Check;
using TenantCache.Harness;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>The delaying relay of the harness on a real memcached, and the checker's <c>slow</c> fault built on it.</summary>
public sealed class DelayingRelayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Without_delay_it_pipes_both_ways_and_with_latency_every_reply_waits_it()
    {
        await using var node = await MemcachedProcess.StartAsync();
        await using var relay = new DelayingRelay(new IPEndPoint(IPAddress.Loopback, node.Port), ReplyDelay.None);
        using var socket = await ConnectAsync(relay.Port);

        var fast = await RoundTripAsync(socket);
        relay.Delay = new ReplyDelay(TimeSpan.FromMilliseconds(150));
        var slow = await RoundTripAsync(socket);

        Assert.True(fast < TimeSpan.FromMilliseconds(100), $"plain pipe took {fast}");
        Assert.True(slow >= TimeSpan.FromMilliseconds(140), $"latency 150 ms, reply after {slow}");
        Assert.Equal(2, relay.Chunks);
        Assert.Equal(0, relay.LateChunks);
    }

    [Fact]
    public async Task Late_replies_arrive_after_the_client_timeout_in_order_and_the_connection_keeps_working()
    {
        await using var node = await MemcachedProcess.StartAsync();
        await using var relay = new DelayingRelay(new IPEndPoint(IPAddress.Loopback, node.Port), new ReplyDelay(TimeSpan.Zero, 1, TimeSpan.FromMilliseconds(300)));
        using var socket = await ConnectAsync(relay.Port);

        // Three commands, three replies, each late: in order, never before 300 ms.
        var started = Stopwatch.GetTimestamp();
        await socket.SendAsync("mn\r\nmn\r\nmn\r\n"u8.ToArray(), SocketFlags.None);
        var received = "";
        var buffer = new byte[64];
        while (received.Length < 12)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(read > 0, "the relay closed the connection");
            received += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }

        Assert.Equal("MN\r\nMN\r\nMN\r\n", received);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(290));
        Assert.True(relay.LateChunks >= 1);

        relay.Delay = ReplyDelay.None;
        Assert.True(await RoundTripAsync(socket) < TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_client_behind_late_replies_times_out_then_recovers_and_dispose_closes_the_relay()
    {
        await using var node = await MemcachedProcess.StartAsync();
        var relay = new DelayingRelay(new IPEndPoint(IPAddress.Loopback, node.Port), ReplyDelay.None);
        await using (var client = new MemcachedClient(new MemcachedOptions { Servers = relay.Endpoint, OperationTimeout = TimeSpan.FromMilliseconds(200) }))
        {
            // The first call opens the connection, which on a loaded machine may take longer than the
            // 200 ms timeout (the whole suite starts memcached processes in parallel): retried, not the point here.
            Assert.True(await Eventually(async () =>
            {
                await client.SetAsync("slow-key", "v"u8.ToArray(), TimeSpan.FromMinutes(1));
                return true;
            }));
            relay.Delay = ReplyDelay.OneIn(1, TimeSpan.FromMilliseconds(600));
            await Assert.ThrowsAnyAsync<CacheStoreException>(async () => await client.GetAsync("slow-key"));
            relay.Delay = ReplyDelay.None;
            await Task.Delay(700);
            var found = await Eventually(async () => (await client.GetAsync("slow-key")).Found);
            Assert.True(found, "the client did not recover after the late replies stopped");
        }

        await relay.DisposeAsync();
        await Assert.ThrowsAnyAsync<SocketException>(async () => (await ConnectAsync(relay.Port)).Dispose());
    }

    [Fact]
    public void The_delay_model_holds_the_late_fraction_longer_and_rejects_bad_settings()
    {
        var delay = new ReplyDelay(TimeSpan.FromMilliseconds(5), 0.25, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), delay.HoldFor(0.1));
        Assert.Equal(TimeSpan.FromMilliseconds(5), delay.HoldFor(0.3));
        Assert.Equal(0.002, ReplyDelay.OneIn(500, TimeSpan.FromSeconds(1.5)).LateFraction, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplyDelay(TimeSpan.Zero, 1.5).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplyDelay(TimeSpan.FromMilliseconds(-1)).Validate());
    }

    [Fact]
    public async Task Check_under_slow_and_relay_on_three_nodes_feels_the_timeouts_and_holds_every_invariant()
    {
        var options = new CheckOptions { Seconds = 8, Workers = 8, Seed = 9, Faults = CheckOptions.ParseFaults("slow,relay") };
        var cluster = await CheckCluster.StartAsync(options);
        Assert.NotNull(cluster);
        await using (cluster)
        {
            Assert.NotNull(cluster.SlowRelay);
            var result = await new CheckRunner(options, cluster.Target(options)).RunAsync();
            output.WriteLine(ReportText.Of(result));
            var s = result.Summary;

            Assert.True(s.Violations == 0, ReportText.Of(result));
            Assert.True(s.Faults >= 2, s.Line);
            Assert.True(cluster.SlowRelay.LateChunks > 0, "the slow fault held no reply");
            Assert.True(s.StoreErrors > 0, "no store error: the late replies were not felt");
            Assert.Null(s.Insufficient);
            Assert.Equal(ReplyDelay.None, cluster.SlowRelay.Delay);
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<TimeSpan> RoundTripAsync(Socket socket)
    {
        var started = Stopwatch.GetTimestamp();
        await socket.SendAsync("mn\r\n"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[16];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("MN\r\n", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<bool> Eventually(Func<Task<bool>> probe)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await probe())
                {
                    return true;
                }
            }
            catch (CacheStoreException)
            {
            }

            await Task.Delay(200);
        }

        return false;
    }
}
