namespace TenantCache.Benchmarks.Herd;

/// <summary>Everything one <c>herd</c> invocation measured; serialized as the <c>--json</c> file.</summary>
internal sealed record HerdReport(
    string Server,
    int Processes,
    int CallersPerProcess,
    int Keys,
    int FactoryMs,
    int Clears,
    int WindowMs,
    int Cores,
    List<HerdContenderResult> Contenders);

/// <summary>
/// One contender over all its clears and processes. Factory runs are per key per clear, summed over
/// the fleet (<see cref="FactoryRunsByClear"/>: [clear][key]); latencies (ms) and read counts cover the recompute windows of every process and clear;
/// <see cref="FreshMsMean"/> is how long after a clear began a process had been served every key fresh.
/// <see cref="Takeovers"/> is null where it does not apply or the engine has no such counter yet.
/// </summary>
internal sealed record HerdContenderResult(
    string Name,
    string Description,
    string ClearMethod,
    bool ClearIsFleetWide,
    int Rounds,
    double FactoryRunsPerKeyMean,
    long FactoryRunsPerKeyMax,
    IReadOnlyList<long[]> FactoryRunsByClear,
    long EarlyRuns,
    long Reads,
    long WindowReads,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Waited,
    long Stale,
    long StaleAfterFresh,
    double? FreshMsMean,
    double? FreshMsMax,
    int NotFresh,
    double ClearMsMean,
    long Errors,
    long? Takeovers,
    string? FirstError,
    string? Failure = null)
{
    /// <summary>A contender that could not run (a worker that did not start or answer, a clear that threw).</summary>
    public static HerdContenderResult Failed(HerdContender contender, string failure) =>
        new(contender.Name, contender.Description, contender.ClearMethod, contender.ClearIsFleetWide, 0, 0, 0, [], 0, 0, 0, double.NaN, double.NaN, double.NaN, 0, 0, 0, null, null, 0, double.NaN, 0, null, null, failure);

    /// <summary>Sums up every worker's rounds.</summary>
    public static HerdContenderResult From(HerdContender contender, IReadOnlyList<HerdRoundResult> rounds)
    {
        // Per clear and key: the fleet's factory runs (every process's runs of that key in that round).
        var byClear = rounds.GroupBy(r => r.Round).OrderBy(g => g.Key)
            .Select(g => Enumerable.Range(0, g.First().FactoryRuns.Length).Select(k => g.Sum(r => r.FactoryRuns[k])).ToArray())
            .ToList();
        var perKey = byClear.SelectMany(c => c).ToList();
        var latency = new LatencyHistogram();
        foreach (var round in rounds)
        {
            latency.Add(round.Latency);
        }

        var fresh = rounds.Where(r => r.RecomputeMs is not null).Select(r => r.RecomputeMs!.Value).ToList();
        var clears = rounds.GroupBy(r => r.Round).Select(g => g.Average(r => r.ClearMs)).ToList();
        var counted = rounds.Any(r => r.TakeoversCounted);
        return new HerdContenderResult(
            contender.Name,
            contender.Description,
            contender.ClearMethod,
            contender.ClearIsFleetWide,
            rounds.Select(r => r.Round).Distinct().Count(),
            perKey.Count == 0 ? 0 : Math.Round(perKey.Average(), 2),
            perKey.Count == 0 ? 0 : perKey.Max(),
            byClear,
            rounds.Sum(r => r.EarlyRuns),
            rounds.Sum(r => r.Reads),
            rounds.Sum(r => r.WindowReads),
            Math.Round(latency.Percentile(0.50) / 1000, 3),
            Math.Round(latency.Percentile(0.99) / 1000, 3),
            Math.Round(latency.Percentile(1.0) / 1000, 3),
            rounds.Sum(r => r.Waited),
            rounds.Sum(r => r.Stale),
            rounds.Sum(r => r.StaleAfterFresh),
            fresh.Count == 0 ? null : Math.Round(fresh.Average(), 1),
            fresh.Count == 0 ? null : fresh.Max(),
            rounds.Count(r => r.RecomputeMs is null),
            clears.Count == 0 ? double.NaN : Math.Round(clears.Average(), 1),
            rounds.Sum(r => r.Errors),
            contender.IsTenantCache && counted ? rounds.Sum(r => r.Takeovers) : null,
            rounds.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }
}
