using System.Globalization;

namespace TenantCache.Benchmarks.Bench;

/// <summary>The end-of-run tables on standard output.</summary>
internal static partial class BenchTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(BenchReport report, TextWriter output)
    {
        var server = report.Engine == "redis" ? $"Redis {report.Machine.RedisVersion}" : $"memcached {report.Machine.MemcachedVersion}";
        output.WriteLine($"tenantcache bench ({report.Mode}): {server} at {report.Servers}{(report.LocalServer ? " (local, started by the bench)" : "")}, " +
            $"{report.Machine.ProcessorCount} cores, {report.Settings.Rounds} rounds × {report.Settings.DurationMs} ms per cell, medians over rounds, ratios to raw from the same round (median over rounds).");
        if (report.Engine != "redis")
        {
            output.WriteLine(RttLine(report));
        }

        foreach (var note in report.Notes)
        {
            output.WriteLine(note);
        }

        output.WriteLine();
        foreach (var info in report.Contenders)
        {
            var stale = info.StaleAcrossInstancesAfterTenantClear switch
            {
                true => "  ** serves STALE data on another instance after a tenant clear **",
                false when info.PropagationMs is { } ms => string.Create(Inv, $"  consistent across instances after a tenant clear, once propagated: the other instance missed {ms:F1} ms after the clear returned"),
                false => "  consistent across instances after a tenant clear",
                null => "",
            };
            output.WriteLine(info.Available
                ? $"  {info.Name,-15} {info.Description}.{stale}"
                : $"  {info.Name,-15} NOT RUN: {info.Error}");
        }

        WriteReadHitOneCaller(report, output);
        foreach (var scenario in Scenarios.All)
        {
            output.WriteLine();
            output.WriteLine(scenario switch
            {
                Scenarios.ReadHit => "read hit",
                Scenarios.ReadMiss => "read miss",
                Scenarios.Write => "write",
                _ => "mixed: 90% read, 9% write, 1% tenant clear",
            });
            output.WriteLine($"  {"contender",-15} {"callers",7} {"p50 µs",9} {"p99 µs",9} {"max ms",7} {"ops/s",10} {"p50×raw",8} {"ops×raw",8} {"hits",6} {"errors",6}");
            foreach (var row in report.Load.Where(r => r.Scenario == scenario).OrderBy(r => r.Concurrency).ThenBy(r => Order(report, r.Contender)))
            {
                var stale = report.Contenders.FirstOrDefault(c => c.Name == row.Contender)?.StaleAcrossInstancesAfterTenantClear == true ? " (stale across instances)" : "";
                output.WriteLine(string.Create(Inv,
                    $"  {row.Contender,-15} {row.Concurrency,7} {row.P50Us,9:F1} {row.P99Us,9:F1} {row.MaxUs / 1000,7:F1} {row.ThroughputOpsPerSec,10:N0} {row.RatioToRawP50,8:F2} {row.RatioToRawThroughput,8:F2} {Hits(row.HitRatio),6} {row.Errors,6}{stale}"));
            }
        }

        if (report.Invalidation is { } inv)
        {
            output.WriteLine();
            output.WriteLine("tenant clear cost vs tenant size (median of the clear call)");
            output.WriteLine($"  {"contender",-15} {"entries",9} {"median µs",10} {"p90 µs",9} {"first µs",9} {"fill s",7}");
            foreach (var row in inv.Results.OrderBy(r => r.Contender, StringComparer.Ordinal).ThenBy(r => r.Entries))
            {
                output.WriteLine(string.Create(Inv, $"  {row.Contender,-15} {row.Entries,9:N0} {row.MedianUs,10:F1} {row.P90Us,9:F1} {row.FirstUs,9:F1} {row.PopulateSeconds,7:F2}"));
            }

            output.WriteLine("  " + inv.Note);
        }

        WriteEviction(report, output);
        if (report.Churn is { } churn)
        {
            output.WriteLine();
            output.WriteLine("memory after churn (server stats)");
            if (churn.Skipped)
            {
                output.WriteLine("  " + churn.Note);
            }
            else
            {
                output.WriteLine($"  {"contender",-15} {"bytes (1 gen)",14} {"items (1 gen)",14} {"bytes (end)",12} {"curr_items",11} {"× 1 gen",8}");
                foreach (var row in churn.Results)
                {
                    output.WriteLine(string.Create(Inv, $"  {row.Contender,-15} {row.BytesOneGeneration,14:N0} {row.ItemsOneGeneration,14:N0} {row.Bytes,12:N0} {row.CurrItems,11:N0} {row.BytesRatioToOneGeneration,8:F2}"));
                }

                output.WriteLine("  " + churn.Note);
            }
        }

        foreach (var group in report.Targets.GroupBy(t => t.Issue))
        {
            output.WriteLine();
            output.WriteLine(group.Key.Length == 0 ? "targets" : $"targets, {group.Key}{(report.Rtt is { } rtt ? string.Create(Inv, $" (at +{rtt.AddedUs:0.#} µs round trip)") : "")}");
            foreach (var target in group)
            {
                var verdict = target.Met switch { true => "MET   ", false => "MISSED", null => "n/a   " };
                output.WriteLine($"  {verdict} {target.Target}: {target.Measured}{(target.Detail.Length > 0 ? " — " + target.Detail : "")}");
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(Inv, $"Total time {report.ElapsedSeconds:F1} s."));
    }

    private static int Order(BenchReport report, string contender) => report.Contenders.FindIndex(c => c.Name == contender);

    private static string Hits(double ratio) => double.IsNaN(ratio) ? "-" : ratio.ToString("P0", Inv).Replace(" ", "", StringComparison.Ordinal);
}
