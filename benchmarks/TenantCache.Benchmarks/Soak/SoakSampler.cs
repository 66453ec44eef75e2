using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using TenantCache.Harness;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Soak;

/// <summary>
/// The soak's report lines: its own counts, the library's counters and log events
/// (<see cref="SoakTelemetry"/>), each node's own <c>stats</c> (connections opened since the start, open
/// now; the sampler's own probe connections are subtracted) and this process's memory and threads.
/// </summary>
internal sealed class SoakSampler(IReadOnlyList<MemcachedProcess> nodes, IReadOnlyList<string> names, SoakTelemetry telemetry, DelayingRelay relay)
{
    private readonly long[] _baseline = new long[nodes.Count];
    private readonly Dictionary<int, long> _probesByNode = [];

    /// <summary>Reads each node's <c>total_connections</c> before the client connects.</summary>
    public async Task StartAsync()
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            _baseline[i] = await TotalConnectionsAsync(i);
        }
    }

    public async Task<string> LineAsync(TimeSpan elapsed, SoakCounts counts)
    {
        var inv = CultureInfo.InvariantCulture;
        var line = new StringBuilder();
        var ops = counts.Operations;
        line.Append(inv, $"t={elapsed.TotalSeconds:F0}s ops={ops} ({ops / Math.Max(elapsed.TotalSeconds, 0.001):F0}/s) factory_calls={Interlocked.Read(ref counts.FactoryCalls)}")
            .Append(inv, $" store_errors={telemetry.Counter("tenantcache.store.errors")} skipped_writes={telemetry.Counter("tenantcache.writes.skipped")} misses={telemetry.Counter("tenantcache.misses")}")
            .Append(inv, $" mc_timeouts={telemetry.Counter("tenantcache.memcached.timeouts")} mc_failures={telemetry.Counter("tenantcache.memcached.failures")}")
            .Append(inv, $" node_down={telemetry.Events("NodeDown")} node_up={telemetry.Events("NodeUp")} conn_closed={telemetry.Events("ConnectionFailed")} connect_failed={telemetry.Events("ConnectFailed")}")
            .Append(inv, $" log_lines[warn+]={telemetry.Lines(LogLevel.Warning) + telemetry.Lines(LogLevel.Error) + telemetry.Lines(LogLevel.Critical)} [info]={telemetry.Lines(LogLevel.Information)} [debug-]={telemetry.Lines(LogLevel.Debug) + telemetry.Lines(LogLevel.Trace)}");
        using (var process = System.Diagnostics.Process.GetCurrentProcess())
        {
            line.Append(inv, $" working_set={process.WorkingSet64 / 1048576.0:F1}MB heap={GC.GetTotalMemory(false) / 1048576.0:F1}MB threadpool_threads={ThreadPool.ThreadCount}");
        }

        line.Append(inv, $" late_replies={relay.LateChunks}");
        for (var i = 0; i < nodes.Count; i++)
        {
            var (opened, open) = await ConnectionsAsync(i);
            line.Append(inv, $" node{i}:opened={opened},open={open}");
        }

        return line.ToString();
    }

    /// <summary>The closing summary: what moved, in words.</summary>
    public string Totals(SoakCounts counts) => string.Create(
        CultureInfo.InvariantCulture,
        $"totals: operations={counts.Operations} get_or_create={counts.GetOrCreates} sets={counts.Sets} invalidations={counts.Invalidations} (failed {counts.FailedInvalidations}) unexpected_exceptions={counts.Unexpected}; store failures (each a fail-open miss or skipped write)={telemetry.Counter("tenantcache.store.errors")}; nodes: {string.Join("; ", names)}");

    private async Task<(long Opened, long Open)> ConnectionsAsync(int node)
    {
        try
        {
            var stats = await ServerStats.ReadAsync(ServerEndpoint.Parse(nodes[node].Endpoint));
            // This probe's own connection is open now and counted in total_connections, as were the earlier probes of this node.
            return (ServerStats.Number(stats, "total_connections") - _baseline[node] - ProbesOf(node), ServerStats.Number(stats, "curr_connections") - 1);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return (-1, -1);
        }
    }

    private long ProbesOf(int node)
    {
        lock (_probesByNode)
        {
            var count = _probesByNode.GetValueOrDefault(node) + 1;
            _probesByNode[node] = count;
            return count;
        }
    }

    private async Task<long> TotalConnectionsAsync(int node) =>
        ServerStats.Number(await ServerStats.ReadAsync(ServerEndpoint.Parse(nodes[node].Endpoint)), "total_connections");
}
