using System.Diagnostics;

namespace TenantCache.Benchmarks.Bench;

/// <summary>The four load scenarios.</summary>
internal static class Scenarios
{
    public const string ReadHit = "read-hit";
    public const string ReadMiss = "read-miss";
    public const string Write = "write";
    public const string Mixed = "mixed";

    public static readonly string[] All = [ReadHit, ReadMiss, Write, Mixed];
}

/// <summary>What one timed run of one contender measured.</summary>
internal sealed record RunSample(double P50Us, double P99Us, double ThroughputOpsPerSec, long Ops, long Errors, long Reads, long Hits, double MaxUs);

/// <summary>
/// Runs N concurrent callers against one contender for a fixed time. Every operation is timed with
/// <see cref="Stopwatch.GetTimestamp"/> into a preallocated array (one slice per caller), then the
/// samples are sorted for the percentiles.
/// </summary>
internal sealed class LoadRunner
{
    private readonly long[] _samples;
    private readonly string[] _tenants;
    private readonly string[] _keys;
    private readonly string[] _missKeys;
    private readonly string _value;
    private int _seed;

    public LoadRunner(int tenants, int keysPerTenant, int valueBytes, int sampleCapacity = 2_000_000)
    {
        _samples = new long[sampleCapacity];
        _tenants = Enumerable.Range(0, tenants).Select(i => $"t{i}").ToArray();
        _keys = Enumerable.Range(0, keysPerTenant).Select(i => $"/item/{i}").ToArray();
        _missKeys = Enumerable.Range(0, keysPerTenant).Select(i => $"/absent/{i}").ToArray();
        _value = new string('v', valueBytes);
    }

    public string Value => _value;

    /// <summary>Writes every (tenant, key) the read scenarios read.</summary>
    public Task PopulateAsync(Contender contender, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            _tenants.SelectMany(t => _keys.Select(k => (t, k))),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (item, _) => await contender.WriteAsync(item.t, item.k, _value));

    /// <summary>Writes <paramref name="entries"/> entries into one tenant.</summary>
    public static Task PopulateTenantAsync(Contender contender, string tenant, int entries, string value, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, entries),
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, _) => await contender.WriteAsync(tenant, $"/item/{i}", value));

    public async Task<RunSample> RunAsync(Contender contender, string scenario, int callers, TimeSpan warmup, TimeSpan duration)
    {
        if (warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync(contender, scenario, callers, warmup, record: false);
        }

        return await RunPhaseAsync(contender, scenario, callers, duration, record: true);
    }

    private async Task<RunSample> RunPhaseAsync(Contender contender, string scenario, int callers, TimeSpan duration, bool record)
    {
        var perCaller = _samples.Length / callers;
        var recorded = new int[callers];
        var ops = new long[callers];
        var errors = new long[callers];
        var reads = new long[callers];
        var hits = new long[callers];
        var seed = Interlocked.Increment(ref _seed) * 7919;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                var random = new Random(seed + index);
                var offset = index * perCaller;
                var n = 0;
                long done = 0, failed = 0, readCount = 0, hitCount = 0;
                while (Stopwatch.GetTimestamp() < end)
                {
                    var tenant = _tenants[random.Next(_tenants.Length)];
                    var k = random.Next(_keys.Length);
                    var kind = scenario switch
                    {
                        Scenarios.ReadHit => 0,
                        Scenarios.ReadMiss => 1,
                        Scenarios.Write => 2,
                        _ => random.Next(100) switch
                        {
                            0 => 3,
                            < 10 => 2,
                            _ => 0,
                        },
                    };
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        switch (kind)
                        {
                            case 0:
                                readCount++;
                                if (await contender.ReadAsync(tenant, _keys[k]))
                                {
                                    hitCount++;
                                }

                                break;
                            case 1:
                                readCount++;
                                if (await contender.ReadAsync(tenant, _missKeys[k]))
                                {
                                    hitCount++;
                                }

                                break;
                            case 2:
                                await contender.WriteAsync(tenant, _keys[k], _value);
                                break;
                            default:
                                await contender.ClearTenantAsync(tenant);
                                break;
                        }

                        var elapsed = Stopwatch.GetTimestamp() - t0;
                        if (record && n < perCaller)
                        {
                            _samples[offset + n++] = elapsed;
                        }

                        done++;
                    }
#pragma warning disable CA1031 // A failing operation is counted, not fatal: the bench reports errors per contender.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                        failed++;
                    }
                }

                recorded[index] = n;
                ops[index] = done;
                errors[index] = failed;
                reads[index] = readCount;
                hits[index] = hitCount;
            });
        }

        await Task.WhenAll(tasks);
        var elapsedSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!record)
        {
            return new RunSample(0, 0, 0, 0, 0, 0, 0, 0);
        }

        var total = recorded.Sum();
        var all = new long[total];
        var at = 0;
        for (var i = 0; i < callers; i++)
        {
            Array.Copy(_samples, i * perCaller, all, at, recorded[i]);
            at += recorded[i];
        }

        Array.Sort(all);
        return new RunSample(
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            ops.Sum() / elapsedSeconds,
            ops.Sum(),
            errors.Sum(),
            reads.Sum(),
            hits.Sum(),
            Percentile(all, 1.0));
    }

    /// <summary>The q-quantile (nearest rank) of sorted timestamps deltas, in microseconds.</summary>
    public static double Percentile(long[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
