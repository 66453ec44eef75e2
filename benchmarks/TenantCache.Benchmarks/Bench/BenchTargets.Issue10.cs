namespace TenantCache.Benchmarks.Bench;

// Issue 10 (token reuse window Δ, one-round-trip writes): every figure from this run's cells,
// each ratio the median over rounds of the per-round ratio (both contenders ran in that round).
internal static partial class BenchTargets
{
    /// <summary>The issue the targets below belong to, as the table heads them.</summary>
    public const string Issue10 = "issue 10: token reuse window Δ, one-round-trip writes";

    private const string Tc = TenantCacheContender.ContenderName;
    private const string Tc0 = TenantCacheContender.NoReuseName;
    private const string Raw = RawContender.ContenderName;

    private static void EvaluateIssue10(BenchReport report)
    {
        Latency(report, Scenarios.ReadHit, 1, Tc, 1.05, "Δ default");
        Latency(report, Scenarios.ReadHit, 1, Tc0, 1.15, "Δ = 0");
        Throughput(report, Scenarios.ReadHit, 64, Tc, Raw, 0.9, Issue10);
        Throughput(report, Scenarios.ReadHit, 64, Tc, "hybrid-dist", 1.0, Issue10);
        Latency(report, Scenarios.Write, 1, Tc, 1.2, "Δ default");
        Throughput(report, Scenarios.Write, 64, Tc, Raw, 0.8, Issue10);
    }

    private static void Latency(BenchReport report, string scenario, int callers, string contender, double factor, string how)
    {
        var name = string.Create(Inv, $"{Label(scenario)}, {callers} caller{(callers == 1 ? "" : "s")}: {contender} ({how}) p50 ≤ {factor:0.0#} × raw p50");
        var row = Find(report, scenario, contender, callers);
        var raw = Find(report, scenario, Raw, callers);
        if (row is null || raw is null)
        {
            report.Targets.Add(new TargetResult(name, $"not measured ({Missing(row, contender, callers)})", null, "", Issue10));
            return;
        }

        var ratio = row.RatioToRawP50;
        report.Targets.Add(new TargetResult(
            name,
            string.Create(Inv, $"{ratio:F2} × ({row.P50Us:F1} µs vs {raw.P50Us:F1} µs)"),
            ratio <= factor,
            Others(report, scenario, callers, contender, r => string.Create(Inv, $"{r.RatioToRawP50:F2} ×")),
            Issue10));
    }

    /// <summary>A throughput target: the median over rounds of contender / baseline ops/s, at least <paramref name="factor"/>.</summary>
    private static void Throughput(BenchReport report, string scenario, int callers, string contender, string baseline, double factor, string issue)
    {
        var name = string.Create(Inv, $"{Label(scenario)}, {callers} callers: {contender} throughput ≥ {factor:0.0#} × {baseline}");
        var row = Find(report, scenario, contender, callers);
        var other = Find(report, scenario, baseline, callers);
        if (row is null || other is null)
        {
            var why = row is null ? Missing(row, contender, callers) : Missing(other, baseline, callers);
            report.Targets.Add(new TargetResult(name, $"not measured ({why})", null, "", issue));
            return;
        }

        var ratio = LoadRunner.Median(row.RoundOpsPerSec.Zip(other.RoundOpsPerSec, (a, b) => a / b));
        report.Targets.Add(new TargetResult(
            name,
            string.Create(Inv, $"{ratio:F2} × ({row.ThroughputOpsPerSec:N0} vs {other.ThroughputOpsPerSec:N0} ops/s)"),
            ratio >= factor,
            Others(report, scenario, callers, contender, r => string.Create(Inv, $"{LoadRunner.Median(r.RoundOpsPerSec.Zip(other.RoundOpsPerSec, (a, b) => a / b)):F2} ×")),
            issue));
    }

    // The other TenantCache contender's figure, for comparison.
    private static string Others(BenchReport report, string scenario, int callers, string contender, Func<LoadResult, string> figure)
    {
        var other = contender == Tc ? Tc0 : Tc;
        return Find(report, scenario, other, callers) is { } row ? $"{other} {figure(row)}" : "";
    }

    private static string Missing(LoadResult? row, string contender, int callers) => row is null
        ? $"no {contender} cell at {callers} caller{(callers == 1 ? "" : "s")}: check --contenders and --concurrency"
        : "";

    private static string Label(string scenario) => scenario == Scenarios.ReadHit ? "read hit" : scenario;
}
