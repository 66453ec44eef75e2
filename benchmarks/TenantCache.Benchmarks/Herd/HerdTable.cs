using System.Globalization;

namespace TenantCache.Benchmarks.Herd;

/// <summary>The herd report on standard output: a header, one row per contender, how each clears.</summary>
internal static class HerdTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteHeader(HerdReport report, TextWriter output)
    {
        output.WriteLine(string.Create(Inv,
            $"tenantcache herd: one local memcached ({report.Server}), {report.Processes} worker processes × {report.CallersPerProcess} callers, one tenant × {report.Keys} hot keys read through get-or-create, " +
            $"factory {report.FactoryMs} ms, {report.Clears} clears, reads for {report.WindowMs} ms after each, {report.Cores} cores."));
        output.WriteLine("runs/key = factory runs per key per clear, summed over the fleet (1 = fleet single flight; one per process = in-process only).");
        output.WriteLine(string.Create(Inv,
            $"The recompute window of a process: from the clear until it had been served every key fresh once; reads, p50/p99, waited (≥ {report.FactoryMs} ms) and stale (the previous value) count the reads begun in it. fresh ms = its length."));
        output.WriteLine();
        output.WriteLine($"{"contender",-20} {"runs/key",8} {"max",5} {"reads",9} {"p50 ms",8} {"p99 ms",8} {"waited",8} {"stale",8} {"fresh ms",9} {"max",7} {"clear ms",9} {"errors",7} {"takeovers",9}");
    }

    public static void WriteRow(HerdContenderResult r, TextWriter output)
    {
        if (r.Failure is not null)
        {
            output.WriteLine($"{r.Name,-20} did not run: {r.Failure}");
            return;
        }

        var takeovers = r.Takeovers is { } t ? t.ToString("N0", Inv) : IsTenantCache(r) ? "n/a" : "-";
        output.WriteLine(string.Create(Inv,
            $"{r.Name,-20} {r.FactoryRunsPerKeyMean,8:F2} {r.FactoryRunsPerKeyMax,5} {r.WindowReads,9:N0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.Waited,8:N0} {r.Stale,8:N0} {Ms(r.FreshMsMean),9} {Ms(r.FreshMsMax),7} {r.ClearMsMean,9:F1} {r.Errors,7:N0} {takeovers,9}"));
    }

    public static void WriteNotes(HerdReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("How each contender clears the tenant:");
        foreach (var r in report.Contenders)
        {
            output.WriteLine($"  {r.Name}: {r.ClearMethod}.");
        }

        foreach (var r in report.Contenders.Where(r => r.Failure is null))
        {
            if (r.NotFresh > 0)
            {
                output.WriteLine(string.Create(Inv, $"  {r.Name}: in {r.NotFresh} of {r.Rounds * report.Processes} process-rounds some key was never served fresh within the window (its recompute window is the whole window)."));
            }

            if (r.EarlyRuns > 0)
            {
                output.WriteLine(string.Create(Inv, $"  {r.Name}: {r.EarlyRuns:N0} factory runs began before their clear (a warm value was missing); they are counted in runs/key."));
            }

            if (r.StaleAfterFresh > 0)
            {
                output.WriteLine(string.Create(Inv, $"  {r.Name}: {r.StaleAfterFresh:N0} reads got the previous value after the process had been served that key fresh."));
            }

            if (r.FirstError is { } firstError)
            {
                output.WriteLine($"  {r.Name}: first error: {firstError}");
            }
        }

        if (report.Contenders.Any(r => IsTenantCache(r) && r.Failure is null && r.Takeovers is null))
        {
            output.WriteLine($"  takeovers: n/a where the process published no counter {LeaseTakeovers.InstrumentName} (it took no leases: leases off).");
        }
    }

    private static bool IsTenantCache(HerdContenderResult r) => r.Name.StartsWith(TenantCacheHerdContender.DefaultName, StringComparison.Ordinal);

    private static string Ms(double? value) => value is { } v ? v.ToString("F0", Inv) : "-";
}
