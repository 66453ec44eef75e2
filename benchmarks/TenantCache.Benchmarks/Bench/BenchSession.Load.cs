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

                var raw = samples.GetValueOrDefault(RawContender.ContenderName);
                foreach (var contender in contenders)
                {
                    var list = samples[contender.Name];
                    var reads = list.Sum(s => s.Reads);
                    report.Load.Add(new LoadResult(
                        scenario,
                        contender.Name,
                        callers,
                        Math.Round(LoadRunner.Median(list.Select(s => s.P50Us)), 1),
                        Math.Round(LoadRunner.Median(list.Select(s => s.P99Us)), 1),
                        Math.Round(LoadRunner.Median(list.Select(s => s.ThroughputOpsPerSec))),
                        RoundRatio(list, raw, s => s.P50Us),
                        RoundRatio(list, raw, s => s.P99Us),
                        RoundRatio(list, raw, s => s.ThroughputOpsPerSec),
                        list.Sum(s => s.Ops),
                        list.Sum(s => s.Errors),
                        reads == 0 ? double.NaN : Math.Round((double)list.Sum(s => s.Hits) / reads, 4),
                        list.Count,
                        Math.Round(list.Max(s => s.MaxUs), 1),
                        [.. list.Select(s => Math.Round(s.P50Us, 1))],
                        [.. list.Select(s => Math.Round(s.ThroughputOpsPerSec))]));
                }
            }
        }
    }

    /// <summary>
    /// The median over rounds of this contender's figure divided by raw's from the same round (the
    /// two ran side by side, moments apart): steadier on a noisy machine than a ratio of medians.
    /// </summary>
    private static double RoundRatio(List<RunSample> contender, List<RunSample>? raw, Func<RunSample, double> figure) =>
        raw is null ? double.NaN : LoadRunner.Median(contender.Zip(raw, (c, r) => figure(c) / figure(r)));
}
