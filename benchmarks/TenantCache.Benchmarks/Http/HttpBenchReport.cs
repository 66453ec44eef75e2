using System.Globalization;

namespace TenantCache.Benchmarks.Http;

/// <summary>Medians over rounds, ratios between contenders of the same run, and the eviction table.</summary>
internal static class HttpBenchReport
{
    public static HttpTable Summarize(double computeMilliseconds, Dictionary<string, List<WrkResult>> runs) =>
        new(computeMilliseconds, [.. runs.Select(kv => new HttpRow(
            kv.Key,
            Median(kv.Value.Select(r => r.RequestsPerSecond)),
            Median(kv.Value.Select(r => r.P50Micros)),
            Median(kv.Value.Select(r => r.P99Micros)),
            kv.Value.Sum(r => r.Errors),
            kv.Value.Count))]);

    public static void Print(HttpBenchSummary summary, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var table in summary.Tables)
        {
            var noCache = table.Rows.First(r => r.Contender == "no-cache").RequestsPerSecond;
            var builtin = table.Rows.First(r => r.Contender == "builtin-memory").RequestsPerSecond;
            output.WriteLine();
            output.WriteLine(string.Format(inv, "HTTP output-cache hits, {0} ms computation per miss (median over rounds)", table.ComputeMilliseconds));
            output.WriteLine("| contender | req/s | p50 µs | p99 µs | × no-cache | × builtin-memory | errors |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var row in table.Rows)
            {
                output.WriteLine(string.Format(inv, "| {0} | {1:0} | {2:0} | {3:0} | {4:0.00} | {5:0.00} | {6} |",
                    row.Contender, row.RequestsPerSecond, row.P50Micros, row.P99Micros, row.RequestsPerSecond / noCache, row.RequestsPerSecond / builtin, row.Errors));
            }
        }

        output.WriteLine();
        output.WriteLine("Evicting one tenant of N cached responses (µs)");
        output.WriteLine("| store | N | first | median | × N=smallest (median) |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var group in summary.Evictions.GroupBy(e => e.Contender))
        {
            var baseline = group.First().MedianMicros;
            foreach (var e in group)
            {
                output.WriteLine(string.Format(inv, "| {0} | {1} | {2:0} | {3:0} | {4:0.00} |", e.Contender, e.Entries, e.FirstMicros, e.MedianMicros, e.MedianMicros / baseline));
            }
        }

        output.WriteLine();
        output.WriteLine($"load average before: {summary.LoadAverageBefore}; after: {summary.LoadAverageAfter}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}

/// <summary>The whole HTTP bench result, as written to <c>--json</c>.</summary>
internal sealed record HttpBenchSummary(List<HttpTable> Tables, List<EvictionResult> Evictions, string LoadAverageBefore, string LoadAverageAfter);

/// <summary>The hit table of one computation cost.</summary>
internal sealed record HttpTable(double ComputeMilliseconds, List<HttpRow> Rows);

/// <summary>One contender's medians.</summary>
internal sealed record HttpRow(string Contender, double RequestsPerSecond, double P50Micros, double P99Micros, long Errors, int Rounds);
