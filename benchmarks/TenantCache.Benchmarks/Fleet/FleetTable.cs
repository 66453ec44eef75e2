using System.Globalization;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>The fleet report on standard output.</summary>
internal static class FleetTable
{
    /// <summary>The fleet's target: with token reuse, no node carries much more than its share.</summary>
    public const double BusiestToMeanTarget = 1.5;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteHeader(FleetReport report, TextWriter output)
    {
        output.WriteLine(string.Create(Inv,
            $"tenantcache fleet: {report.Nodes.Count} local memcached nodes ({string.Join(", ", report.Nodes)}), {report.Processes} worker processes × {report.CallersPerProcess} callers, " +
            $"one application, {report.Tenants} tenants × {report.KeysPerTenant} warm keys, {100 - report.SetPercent} % reads / {report.SetPercent} % sets, {report.Seconds:0.#} s per window, {Environment.ProcessorCount} cores."));
        output.WriteLine($"Node load = keys operated on during the measured time: Δ({report.NodeLoad}) from `stats` (one per key of an mg, ms or md); cpu = Δ(rusage_user + rusage_system).");
    }

    public static void WriteRun(FleetWindowResult run, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{run.Window}, application {run.Application}");
        output.WriteLine($"  {"node",-4} {"endpoint",-16} {"gets",12} {"sets",10} {"keys",12} {"keys/s",10} {"share",6} {"cpu s",6}");
        var total = run.Nodes.Sum(n => (double)n.Keys);
        foreach (var node in run.Nodes)
        {
            var marks = (node.HoldsAppToken ? "  app token" : "") + (node.Node == run.BusiestNode ? "  busiest" : "");
            output.WriteLine(string.Create(Inv,
                $"  {node.Node,-4} {node.Endpoint,-16} {node.Gets,12:N0} {node.Sets,10:N0} {node.Keys,12:N0} {node.KeysPerSecond,10:N0} {node.Keys / total,6:P0} {node.CpuSeconds,6:F2}{marks}"));
        }

        var fleet = run.Fleet;
        var hits = fleet.Reads == 0 ? 0 : (double)fleet.Hits / fleet.Reads;
        output.WriteLine(string.Create(Inv,
            $"  fleet: {fleet.Reads:N0} reads ({hits:P1} hits), {fleet.Sets:N0} sets, {fleet.Errors:N0} errors in {fleet.Seconds:F1} s = {(fleet.Reads + fleet.Sets) / fleet.Seconds:N0} ops/s; {run.KeysPerOperation:F2} keys per operation"));
        if (fleet.FirstError is { } firstError)
        {
            output.WriteLine($"  first error: {firstError}");
        }

        output.WriteLine(string.Create(Inv,
            $"  mean {run.MeanKeys:N0} keys per node; busiest node {run.BusiestNode}{(run.BusiestNode == run.AppTokenNode ? " (the app token's node)" : "")} = {run.BusiestToMean:F2} × mean"));
    }

    public static void WriteSummary(FleetReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("summary: busiest node / mean (keys)");
        foreach (var run in report.Runs)
        {
            var where = run.BusiestNode == run.AppTokenNode ? "the app token's node" : $"node {run.BusiestNode}; the app token is on node {run.AppTokenNode}";
            var verdict = run.WindowMs is 0 ? "" : string.Create(Inv, $" — target ≤ {BusiestToMeanTarget:0.0#} × mean with Δ: {(run.BusiestToMean <= BusiestToMeanTarget ? "MET" : "MISSED")}");
            output.WriteLine(string.Create(Inv, $"  {run.Window,-24} {run.BusiestToMean,5:F2} × ({where}), {run.KeysPerOperation:F2} keys per operation{verdict}"));
        }
    }
}
