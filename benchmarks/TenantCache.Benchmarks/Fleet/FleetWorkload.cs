using System.Diagnostics;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// The fleet's workload in one process: callers looping over uniformly random (tenant, key) pairs
/// of the warm set, reading them (a hit unless evicted), with <c>setPercent</c> % sets of the same keys.
/// </summary>
internal sealed class FleetWorkload(ApplicationCache cache, int tenants, int keys, int setPercent)
{
    private static readonly CacheEntryOptions EntryOptions = CacheEntryOptions.Expires(TimeSpan.FromMinutes(30));

    /// <summary>The value every warm key holds.</summary>
    public static readonly string Value = new('v', 100);

    public static string Tenant(int i) => $"t{i}";

    public static string Key(int i) => $"/item/{i}";

    /// <summary>Writes every warm key (the parent does this once per run, before the workers start).</summary>
    public static Task PopulateAsync(ApplicationCache cache, int tenants, int keys, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, tenants * keys),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) => await cache.Tenant(Tenant(i / keys)).SetAsync(Key(i % keys), Value, EntryOptions, ct));

    public async Task<WorkerCounts> RunAsync(int callers, TimeSpan duration, int seed)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(() => CallerAsync(new Random(seed + i), end))).ToArray();
        var counts = await Task.WhenAll(tasks);
        return new WorkerCounts(counts.Sum(c => c.Reads), counts.Sum(c => c.Hits), counts.Sum(c => c.Sets), counts.Sum(c => c.Errors), FirstError: counts.Select(c => c.FirstError).FirstOrDefault(e => e is not null));
    }

    private async Task<WorkerCounts> CallerAsync(Random random, long end)
    {
        long reads = 0, hits = 0, sets = 0, errors = 0;
        string? firstError = null;
        while (Stopwatch.GetTimestamp() < end)
        {
            var scope = cache.Tenant(Tenant(random.Next(tenants)));
            var key = Key(random.Next(keys));
            try
            {
                if (random.Next(100) < setPercent)
                {
                    sets++;
                    await scope.SetAsync(key, Value, EntryOptions);
                }
                else
                {
                    reads++;
                    if ((await scope.GetAsync<string>(key)).HasValue)
                    {
                        hits++;
                    }
                }
            }
            catch (CacheStoreException ex)
            {
                errors++;
                firstError ??= $"{ex.GetType().Name}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "")}";
            }
        }

        return new WorkerCounts(reads, hits, sets, errors, FirstError: firstError);
    }
}
