using System.Globalization;
using TenantCache.Benchmarks.Bench.Rtt;

namespace TenantCache.Benchmarks.Bench;

// The round trip the run had, and the read hit at one caller against raw mg.
internal static partial class BenchTable
{
    /// <summary>The round trip line of the header: the relays' added time and the probe's medians, or plain loopback.</summary>
    public static string RttLine(BenchReport report) => report.Rtt is { } rtt
        ? string.Create(Inv, $"rtt: +{RttOption.Format(TimeSpan.FromMicroseconds(rtt.AddedUs))} on every memcached reply (relays {rtt.Relays}); mn round trip median {rtt.ProbeDirectUs:F1} µs direct, {rtt.ProbeRelayedUs:F1} µs through the relay (+{rtt.ProbeRelayedUs - rtt.ProbeDirectUs:F1} µs); {rtt.HeldReplies:N0} replies held, sent {rtt.MeanPastDueUs:F1} µs past due on average.")
        : "rtt: plain loopback, no relay (--rtt adds a round trip).";

    private static void WriteReadHitOneCaller(BenchReport report, TextWriter output)
    {
        var rows = report.Load.Where(r => r.Scenario == Scenarios.ReadHit && r.Concurrency == 1).OrderBy(r => Order(report, r.Contender)).ToList();
        output.WriteLine();
        var rtt = report.Rtt is { } added ? $"+{RttOption.Format(TimeSpan.FromMicroseconds(added.AddedUs))} round trip" : "loopback, no added round trip";
        output.WriteLine($"read hit, 1 caller ({rtt}): latency against raw {(report.Engine == "redis" ? "GET" : "mg")}");
        if (rows.Count == 0)
        {
            output.WriteLine("  not measured (1 caller not in --concurrency)");
            return;
        }

        output.WriteLine($"  {"contender",-15} {"p50 µs",9} {"p99 µs",9} {"p50×raw",8} {"p99×raw",8}  p50 µs per round");
        foreach (var row in rows)
        {
            var rounds = string.Join(' ', row.RoundP50Us.Select(v => v.ToString("F1", Inv)));
            output.WriteLine(string.Create(Inv, $"  {row.Contender,-15} {row.P50Us,9:F1} {row.P99Us,9:F1} {row.RatioToRawP50,8:F2} {row.RatioToRawP99,8:F2}  {rounds}"));
        }

        output.WriteLine("  p50×raw, p99×raw: median over rounds of the ratio to raw measured in the same round.");
    }
}
