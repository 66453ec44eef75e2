using System.Globalization;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// One node's counters from <c>stats</c>. <see cref="Keys"/> counts keys operated on: memcached counts
/// every <c>mg</c> in <c>cmd_get</c> (one per key, hit or miss), every <c>ms</c> in <c>cmd_set</c>,
/// every <c>md</c> in <c>delete_hits</c>/<c>delete_misses</c>; touches and incr/decr are added too.
/// The meta no-op <c>mn</c> counts nowhere. CPU is <c>rusage_user</c> + <c>rusage_system</c>.
/// </summary>
internal sealed record NodeCounters(long Gets, long Sets, long Other, double CpuSeconds)
{
    /// <summary>The statistics summed into <see cref="Keys"/>.</summary>
    public const string Definition = "cmd_get + cmd_set + cmd_touch + delete_hits + delete_misses + incr/decr hits and misses";

    public long Keys => Gets + Sets + Other;

    public static async Task<NodeCounters> ReadAsync(ServerEndpoint node, CancellationToken cancellationToken)
    {
        var stats = await ServerStats.ReadAsync(node, cancellationToken);
        long N(string name) => Math.Max(0, ServerStats.Number(stats, name));
        double Seconds(string name) => stats.TryGetValue(name, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var other = N("cmd_touch") + N("delete_hits") + N("delete_misses") + N("incr_hits") + N("incr_misses") + N("decr_hits") + N("decr_misses");
        return new NodeCounters(N("cmd_get"), N("cmd_set"), other, Seconds("rusage_user") + Seconds("rusage_system"));
    }

    public static NodeCounters operator -(NodeCounters after, NodeCounters before) =>
        new(after.Gets - before.Gets, after.Sets - before.Sets, after.Other - before.Other, after.CpuSeconds - before.CpuSeconds);
}
