using System.Globalization;

namespace TenantCache.Benchmarks.Bench;

/// <summary>The issues' targets, checked against a report (reported, never asserted).</summary>
internal static partial class BenchTargets
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Evaluate(BenchReport report)
    {
        var targets = report.Targets;
        EvaluateIssue10(report);

        // Against hybrid-dist at 64 callers: see issue 10's targets.
        Throughput(report, Scenarios.ReadHit, 64, Tc, NaiveContender.ContenderName, 2.5, "");
        Throughput(report, Scenarios.ReadHit, 64, Tc, "fusion-dist", 2.0, "");

        if (report.Invalidation is { Results.Count: > 0 } inv)
        {
            foreach (var name in new[] { TenantCacheContender.NoReuseName, TenantCacheContender.ContenderName })
            {
                var tc = inv.Results.Where(r => r.Contender == name).OrderBy(r => r.Entries).ToList();
                if (tc.Count < 2)
                {
                    continue;
                }

                var small = tc[0];
                var big = tc[^1];
                var ratio = big.MedianUs / small.MedianUs;
                targets.Add(new TargetResult(
                    string.Create(Inv, $"tenant clear ({name}): {big.Entries:N0} entries within 1.2 × of {small.Entries:N0}"),
                    string.Create(Inv, $"{ratio:F2} × ({big.MedianUs:F1} µs vs {small.MedianUs:F1} µs, medians)"),
                    ratio <= 1.2,
                    big.Entries < 100_000 ? "measured on smaller tenants than the target's 100,000 (quick mode or --tenant-sizes)" : ""));
            }
        }

        if (report.Churn is { Skipped: false } churn)
        {
            var tc = churn.Results.FirstOrDefault(r => r.Contender == TenantCacheContender.NoReuseName);
            var naive = churn.Results.FirstOrDefault(r => r.Contender == NaiveContender.ContenderName);
            if (tc is not null)
            {
                targets.Add(new TargetResult(
                    "memory after churn: tenantcache-d0 ≤ 1.1 × the bytes of one generation",
                    string.Create(Inv, $"{tc.BytesRatioToOneGeneration:F2} × ({tc.Bytes:N0} vs {tc.BytesOneGeneration:N0} bytes; {tc.CurrItems:N0} items)"),
                    tc.BytesRatioToOneGeneration <= 1.1,
                    ""));
            }

            if (naive is not null)
            {
                targets.Add(new TargetResult(
                    string.Create(Inv, $"memory after churn: naive ≈ {naive.Generations + 1} × (every generation stays until it expires)"),
                    string.Create(Inv, $"{naive.BytesRatioToOneGeneration:F2} × ({naive.Bytes:N0} vs {naive.BytesOneGeneration:N0} bytes; {naive.CurrItems:N0} items)"),
                    naive.BytesRatioToOneGeneration >= 0.5 * (naive.Generations + 1),
                    "the expected cost of the naive recipe, shown for comparison"));
            }
        }
        else
        {
            targets.Add(new TargetResult("memory after churn: tenantcache ≤ 1.1 × one generation", "not measured", null, report.Churn?.Note ?? ""));
        }
    }

    private static LoadResult? Find(BenchReport report, string scenario, string contender, int callers) =>
        report.Load.FirstOrDefault(r => r.Scenario == scenario && r.Contender == contender && r.Concurrency == callers);
}
