namespace TenantCache.Benchmarks.Bench;

// The output-cache tag eviction of the Redis engine.
internal static partial class BenchTable
{
    private static void WriteEviction(BenchReport report, TextWriter output)
    {
        if (report.Eviction is not { } eviction)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("output-cache tag eviction on Redis (EvictByTagAsync of one tenant's tag)");
        output.WriteLine($"  {"store",-17} {"entries",9} {"median µs",10} {"first µs",10} {"evictions",9} {"evicted entries miss",20}");
        foreach (var row in eviction.Results.OrderBy(r => r.Contender, StringComparer.Ordinal).ThenBy(r => r.Entries))
        {
            output.WriteLine(string.Create(Inv, $"  {row.Contender,-17} {row.Entries,9:N0} {row.MedianMicros,10:F1} {row.FirstMicros,10:F1} {row.Repetitions,9} {(row.EvictedEntriesMissed ? "yes" : "NO"),20}"));
        }

        output.WriteLine("  " + eviction.Note);
    }
}
