namespace TenantCache.Benchmarks.Bench;

// The load scenarios: every contender, in rounds, side by side.
internal static partial class BenchSession
{
    private static async Task RunLoadAsync(BenchConfig config, List<Contender> contenders, LoadRunner runner, BenchReport report, BenchProgress progress, CancellationToken cancellationToken)
    {
        var warmup = TimeSpan.FromMilliseconds(config.WarmupMs);
        var duration = TimeSpan.FromMilliseconds(config.DurationMs);
        foreach (var scenario in Scenarios.All)
        {
            foreach (var callers in config.Concurrency)
            {
                var samples = contenders.ToDictionary(c => c.Name, _ => new List<RunSample>());
                for (var round = 0; round < config.Rounds; round++)
                {
                    // Alternate the order each round (rotated, and reversed every other round) so no
                    // contender always runs first or last on a noisy machine.
                    var order = contenders.Skip(round % contenders.Count).Concat(contenders.Take(round % contenders.Count)).ToList();
                    if (round % 2 == 1)
                    {
                        order.Reverse();
                    }

                    foreach (var contender in order)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress.Step($"{scenario} ×{callers} round {round + 1}/{config.Rounds} {contender.Name}");
                        samples[contender.Name].Add(await runner.RunAsync(contender, scenario, callers, warmup, duration));
                    }
                }

                var medians = samples.ToDictionary(
                    kv => kv.Key,
                    kv => (P50: LoadRunner.Median(kv.Value.Select(s => s.P50Us)), P99: LoadRunner.Median(kv.Value.Select(s => s.P99Us)), Throughput: LoadRunner.Median(kv.Value.Select(s => s.ThroughputOpsPerSec))));
                var raw = medians.TryGetValue(RawContender.ContenderName, out var r) ? r : (P50: double.NaN, P99: double.NaN, Throughput: double.NaN);
                foreach (var contender in contenders)
                {
                    var m = medians[contender.Name];
                    var list = samples[contender.Name];
                    var reads = list.Sum(s => s.Reads);
                    report.Load.Add(new LoadResult(
                        scenario,
                        contender.Name,
                        callers,
                        Math.Round(m.P50, 1),
                        Math.Round(m.P99, 1),
                        Math.Round(m.Throughput),
                        m.P50 / raw.P50,
                        m.P99 / raw.P99,
                        m.Throughput / raw.Throughput,
                        list.Sum(s => s.Ops),
                        list.Sum(s => s.Errors),
                        reads == 0 ? double.NaN : Math.Round((double)list.Sum(s => s.Hits) / reads, 4),
                        list.Count,
                        Math.Round(list.Max(s => s.MaxUs), 1)));
                }
            }
        }
    }
}
