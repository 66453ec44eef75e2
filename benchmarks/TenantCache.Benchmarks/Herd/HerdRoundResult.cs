using System.Diagnostics;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// What one worker saw in one round, sent to the coordinator as <c>round {json}</c>. The recompute window
/// runs from the moment the clear began until every key had been served fresh (a value of this round)
/// once in this process; <see cref="FactoryRuns"/> counts every run of the round per key, of which
/// <see cref="EarlyRuns"/> began before the clear (none, when the warm values held); <see cref="Latency"/>, <see cref="WindowReads"/>, <see cref="Stale"/> and
/// <see cref="Waited"/> cover the reads that began inside it.
/// </summary>
internal sealed record HerdRoundResult(
    int Round,
    int Process,
    long[] FactoryRuns,
    long EarlyRuns,
    long Reads,
    long WindowReads,
    long Stale,
    long StaleAfterFresh,
    long Waited,
    long Errors,
    double? RecomputeMs,
    double ClearMs,
    bool TakeoversCounted,
    long Takeovers,
    LatencyHistogram Latency,
    string? FirstError)
{
    /// <summary>
    /// Sums up one round of <paramref name="callers"/>: the clear began at <paramref name="clearStart"/> and
    /// returned at <paramref name="clearEnd"/> (Stopwatch timestamps); a read waited for a factory when it
    /// took at least <paramref name="factoryMs"/>.
    /// </summary>
    public static HerdRoundResult Summarize(
        int round, int process, int keys, CallerRecord[] callers, FactoryRun[] runs, long clearStart, long clearEnd, int factoryMs, (bool Counted, long Count) takeovers)
    {
        var factoryRuns = new long[keys];
        foreach (var run in runs)
        {
            factoryRuns[run.Key]++;
        }

        var samples = callers.SelectMany(c => c.Samples).Where(s => s.End >= clearStart).ToList();

        // The first fresh value each key was served in this process, after the clear began.
        var firstFresh = new long?[factoryRuns.Length];
        foreach (var s in samples.Where(s => s.Generation == round))
        {
            if (firstFresh[s.Key] is not { } seen || s.End < seen)
            {
                firstFresh[s.Key] = s.End;
            }
        }

        var allFresh = firstFresh.All(f => f is not null) ? firstFresh.Max() : null;
        var windowEnd = allFresh ?? long.MaxValue;
        var factoryTicks = (long)(factoryMs / 1000.0 * Stopwatch.Frequency);
        var latency = new LatencyHistogram();
        long windowReads = 0, stale = 0, waited = 0, staleAfterFresh = 0;
        foreach (var s in samples)
        {
            if (s.Generation < round && firstFresh[s.Key] is { } fresh && s.Start > fresh)
            {
                staleAfterFresh++;
            }

            if (s.Start < clearStart || s.Start > windowEnd)
            {
                continue;
            }

            windowReads++;
            var ticks = s.End - s.Start;
            latency.Add(ticks * 1_000_000.0 / Stopwatch.Frequency);
            stale += s.Generation < round ? 1 : 0;
            waited += factoryMs > 0 && ticks >= factoryTicks ? 1 : 0;
        }

        return new HerdRoundResult(
            round,
            process,
            factoryRuns,
            runs.LongCount(r => r.At < clearStart),
            callers.Sum(c => c.Samples.Count),
            windowReads,
            stale,
            staleAfterFresh,
            waited,
            callers.Sum(c => c.Errors),
            allFresh is { } at ? Math.Round(Stopwatch.GetElapsedTime(clearStart, at).TotalMilliseconds, 1) : null,
            Math.Round(Stopwatch.GetElapsedTime(clearStart, clearEnd).TotalMilliseconds, 1),
            takeovers.Counted,
            takeovers.Count,
            latency,
            callers.Select(c => c.FirstError).FirstOrDefault(e => e is not null));
    }
}
