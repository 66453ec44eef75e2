using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TenantCache.Cli;
using TenantCache.Cli.Check;
using TenantCache.Harness;
using TenantCache.Harness.Faults;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The checker on real memcached: a short run on a local 3-node cluster under restart, pause, kill
/// and relay faults, a short run under eviction pressure, and the mechanics of each fault. One class,
/// so these run one after another (they start processes and measure). Every process is stopped by
/// <see cref="CheckCluster.DisposeAsync"/> or the fixture's own disposal, even when a test fails.
/// </summary>
public sealed class MemcachedCheckTests(ITestOutputHelper output)
{
    private static CheckOptions Options(double seconds, string faults, int seed = 20261125) => new()
    {
        Seconds = seconds,
        Workers = 8,
        Seed = seed,
        Faults = CheckOptions.ParseFaults(faults),
    };

    private async Task<(CheckResult Result, CheckCluster Cluster)> RunAsync(CheckOptions options, Func<CheckCluster, Task>? afterRun = null)
    {
        var cluster = await CheckCluster.StartAsync(options);
        Assert.NotNull(cluster);
        await using (cluster)
        {
            var target = cluster.Target(options);
            var result = await new CheckRunner(options, target).RunAsync();
            output.WriteLine(options.Describe(target));
            output.WriteLine(ReportText.Of(result));
            if (afterRun is not null)
            {
                await afterRun(cluster);
            }

            return (result, cluster);
        }
    }

    [Fact]
    public async Task Eighteen_seconds_on_three_local_memcached_under_restart_pause_kill_and_relay_hold_every_invariant()
    {
        var options = Options(18, "restart,pause,kill,relay");
        long resets = 0;
        var faultKinds = 0;
        var (result, cluster) = await RunAsync(options, c =>
        {
            resets = c.Relays.Sum(r => r.Resets);
            faultKinds = c.Faults.Count;
            return Task.CompletedTask;
        });
        var s = result.Summary;

        Assert.True(s.Violations == 0, ReportText.Of(result));
        Assert.True(s.Faults >= 3, $"faults={s.Faults}");
        Assert.Equal(4, faultKinds);
        // Not a vacuous pass: reads, hits, invalidations and failures all happened in numbers. With the
        // default token window (500 ms on memcached) every invalidation waits it out, which bounds a worker
        // (about 400 ops/s for 8, less on a busy machine).
        Assert.True(s.Reads >= 2_500, $"reads={s.Reads}");
        Assert.True(s.Hits >= 500, $"hits={s.Hits}");
        Assert.True(s.Invalidations >= 100, $"invalidations={s.Invalidations}");
        Assert.True(result.Tally!.ReusedReads > result.Tally.WindowReads / 2, $"token reuse: {result.Tally.ReusedReads} of {result.Tally.WindowReads}");
        Assert.True(s.StoreErrors > 0, "no store error: the faults were not felt");
        Assert.False(result.Verdict.LocalityJudged);
        Assert.Empty(cluster.Nodes); // stopped
        output.WriteLine($"relay resets: {resets}");
    }

    [Fact]
    public async Task Ten_seconds_on_three_local_memcached_with_leases_and_stale_reads_hold_every_invariant()
    {
        var options = Options(10, "none");
        options.Nodes = 3;
        var (result, cluster) = await RunAsync(options);
        var s = result.Summary;

        Assert.True(s.Violations == 0, ReportText.Of(result));
        Assert.All(result.Caches.SelectMany(app => app), cache => Assert.True(((TenantCache.Internal.IEngineScope)cache).Engine.UsesLeases)); // the engine's default on memcached
        // Not a vacuous pass: stale values were served and judged against their bound (+1 s: memcached's clock).
        Assert.True(s.Stale.Results > 0 && s.Stale.Judged > 0, $"stale results={s.Stale}");
        Assert.True(s.Reads >= 1_500 && s.Invalidations >= 50, s.Line);
        Assert.True(s.Accounting!.Mean <= 1.2, s.Accounting.Line(s.MeterTakeovers));
        Assert.Empty(cluster.Nodes); // stopped
    }

    [Fact]
    public async Task Eight_seconds_under_eviction_pressure_evict_tokens_and_entries_and_hold_every_invariant()
    {
        var options = Options(8, "evict");
        long evictions = 0;
        var (result, _) = await RunAsync(options, async c =>
        {
            foreach (var node in c.Nodes)
            {
                evictions += await StatAsync(node.Port, "evictions");
            }
        });
        var s = result.Summary;

        Assert.True(s.Violations == 0, ReportText.Of(result));
        Assert.True(s.Faults >= 1, $"faults={s.Faults}");
        Assert.True(evictions > 100, $"memcached evicted only {evictions} items");
        Assert.True(s.Reads >= 1_000 && s.Hits >= 100 && s.Invalidations >= 30, s.Line);
        Assert.Equal(CheckCluster.EvictMaxPadding, options.MaxPadding);
    }

    [Fact]
    public async Task The_relay_pipes_bytes_and_in_chaos_resets_connections_including_mid_reply()
    {
        await using var node = await MemcachedProcess.StartAsync();
        await using var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, node.Port), seed: 1) { ResetProbability = 0.3 };
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = relay.Endpoint, OperationTimeout = TimeSpan.FromSeconds(2), FailureThreshold = 1000, RetryDelay = TimeSpan.FromMilliseconds(10),
        });
        var value = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef", 200_000 / 16)));
        await client.SetAsync("relay.big", value);

        relay.Chaos = true;
        var failures = 0;
        for (var i = 0; i < 200 && relay.MidReplyResets == 0; i++)
        {
            try
            {
                var item = await client.GetAsync("relay.big");
                Assert.True(item.Value.Span.SequenceEqual(value)); // never altered bytes
            }
            catch (MemcachedException)
            {
                failures++;
            }
        }

        relay.Chaos = false;
        Assert.True(failures > 0 && relay.Resets > 0, $"failures={failures} resets={relay.Resets}");
        Assert.True(relay.MidReplyResets > 0, "no reset in the middle of a reply");

        var after = await client.GetAsync("relay.big");
        Assert.True(after.Found && after.Value.Span.SequenceEqual(value));
    }

    [Fact]
    public async Task Pause_stops_the_node_longer_than_the_timeout_and_resume_brings_it_back_with_its_data()
    {
        await using var node = await MemcachedProcess.StartAsync();
        await using var client = new MemcachedClient(new MemcachedOptions
        {
            Servers = node.Endpoint, OperationTimeout = TimeSpan.FromMilliseconds(200), FailureThreshold = 1000, RetryDelay = TimeSpan.FromMilliseconds(10),
        });
        await client.SetAsync("pause.k", "v"u8.ToArray());
        var fault = new PauseFault(new NodePicker([node], 0), TimeSpan.FromMilliseconds(600));

        var paused = Stopwatch.StartNew();
        await fault.StartAsync(CancellationToken.None);
        Assert.Equal('T', ProcessState(node));
        await Assert.ThrowsAsync<MemcachedTimeoutException>(async () => await client.GetAsync("pause.k"));
        Assert.Equal('T', ProcessState(node));
        await fault.StopAsync(CancellationToken.None);

        Assert.True(paused.Elapsed >= TimeSpan.FromMilliseconds(600), $"the pause ended before its minimum: {paused.Elapsed}");
        Assert.NotEqual('T', ProcessState(node));
        Assert.True((await client.GetAsync("pause.k")).Found);
    }

    [Fact]
    public async Task Kill_leaves_the_node_down_until_stopped_and_restart_brings_it_back_empty_on_the_same_port()
    {
        await using var node = await MemcachedProcess.StartAsync();
        var picker = new NodePicker([node], 0);
        await SetRawAsync(node.Port, "k");

        var kill = new KillFault(picker);
        await kill.StartAsync(CancellationToken.None);
        Assert.False(node.IsRunning);
        await Assert.ThrowsAsync<SocketException>(() => SetRawAsync(node.Port, "k"));
        await kill.StopAsync(CancellationToken.None);
        Assert.True(node.IsRunning);
        Assert.Equal(0, await StatAsync(node.Port, "curr_items"));

        await SetRawAsync(node.Port, "k");
        var restart = new RestartFault(picker);
        await restart.StartAsync(CancellationToken.None);
        await restart.StopAsync(CancellationToken.None);
        Assert.True(node.IsRunning);
        Assert.Equal(1, restart.Count);
        Assert.Equal(0, await StatAsync(node.Port, "curr_items"));
    }

    [Theory]
    [InlineData("restart")]
    [InlineData("pause")]
    [InlineData("kill")]
    [InlineData("evict")]
    [InlineData("all")]
    public async Task Faults_that_need_process_control_are_refused_on_given_servers(string faults)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var options = Options(1, faults);
        options.Servers = "127.0.0.1:1";

        Assert.Equal(2, await CheckCommand.RunAsync(options, stdout, stderr));
        Assert.Contains("process control", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public async Task Relay_runs_on_given_servers_and_the_command_stops_its_relays()
    {
        await using var node = await MemcachedProcess.StartAsync();
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter();
        var options = Options(2, "relay");
        options.Servers = node.Endpoint;

        var code = await CheckCommand.RunAsync(options, stdout, stderr);

        output.WriteLine(stdout.ToString());
        Assert.Equal(0, code);
        Assert.Contains("via relays to " + node.Endpoint, stdout.ToString(), StringComparison.Ordinal);
        Assert.True(node.IsRunning); // not ours to stop
    }

    [Fact]
    public async Task No_judge_mode_keeps_no_history_and_still_checks_exceptions_and_values()
    {
        // Two seconds: a get-or-create may wait out a lease (2 s on memcached) its holder kept when its factory failed.
        var options = new CheckOptions { Seconds = 2, Workers = 4, Seed = 5, NoJudge = true, Nodes = 1 };
        var (result, _) = await RunAsync(options);

        Assert.Empty(result.History.Operations);
        Assert.True(result.Summary.Ops > 100 && result.Summary.Reads > 50, result.Summary.Line);
        Assert.Equal(0, result.Summary.Violations);
    }

    private static char ProcessState(MemcachedProcess node)
    {
        var pid = Process.GetProcesses().Single(p => p.ProcessName == "memcached" && CommandLine(p.Id).Contains($"-p\0{node.Port}\0", StringComparison.Ordinal)).Id;
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return text[(text.LastIndexOf(')') + 2)..][0];
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task SetRawAsync(int port, string key)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"set {key} 0 0 1\r\nx\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        Assert.Equal("STORED\r\n", Encoding.ASCII.GetString(buffer, 0, read));
    }

    private static async Task<long> StatAsync(int port, string name)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("stats\r\n"u8.ToArray());
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().EndsWith("END\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var line = text.ToString().Split("\r\n").Single(l => l.StartsWith($"STAT {name} ", StringComparison.Ordinal));
        return long.Parse(line[$"STAT {name} ".Length..], CultureInfo.InvariantCulture);
    }
}
