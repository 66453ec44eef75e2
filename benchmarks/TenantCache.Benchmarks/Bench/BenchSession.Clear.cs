using System.Diagnostics;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

// The clear cost against tenant size, and the memory after churn.
internal static partial class BenchSession
{
    /// <summary>The clear cost of <paramref name="measured"/> (the engine picks them), for every tenant size.</summary>
    private static async Task<InvalidationReport> RunInvalidationAsync(BenchConfig config, List<Contender> measured, LoadRunner runner, BenchProgress progress, CancellationToken cancellationToken)
    {
        // A clear with token reuse returns after Δ (500 ms by default): fewer of them in quick mode.
        var clears = config.Clears;
        var results = new List<InvalidationResult>();
        foreach (var size in config.TenantSizes)
        {
            progress.Step($"clear cost, tenant of {size:N0} entries");
            var tenant = $"inv-{size}-{Guid.NewGuid():N}";
            var populate = new Dictionary<string, double>();
            foreach (var contender in measured)
            {
                var t0 = Stopwatch.GetTimestamp();
                await LoadRunner.PopulateTenantAsync(contender, tenant, size, runner.Value, cancellationToken);
                populate[contender.Name] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }

            var times = measured.ToDictionary(c => c.Name, _ => new List<long>());
            for (var i = 0; i < clears; i++)
            {
                var order = i % 2 == 0 ? measured : Enumerable.Reverse(measured);
                foreach (var contender in order)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await contender.ClearTenantAsync(tenant);
                    times[contender.Name].Add(Stopwatch.GetTimestamp() - t0);
                }
            }

            foreach (var contender in measured)
            {
                var list = times[contender.Name];
                var sorted = list.Order().ToArray();
                results.Add(new InvalidationResult(
                    contender.Name,
                    size,
                    Math.Round(LoadRunner.Percentile(sorted, 0.5), 1),
                    Math.Round(list[0] * 1_000_000.0 / Stopwatch.Frequency, 1),
                    Math.Round(LoadRunner.Percentile(sorted, 0.9), 1),
                    list.Count,
                    Math.Round(populate[contender.Name], 2)));
            }
        }

        var note = $"Each size: the tenant is filled, then cleared {clears} times by each contender in turn ({string.Join(", ", measured.Select(c => c.Name))}; the order reversed every other time); the median of the clear call is reported (first = the clear of the full tenant). " +
            (config.Quick ? "Quick mode uses smaller tenants (" + string.Join(", ", config.TenantSizes) + ")." : "");
        return new InvalidationReport(config.TenantSizes, note, results);
    }

    private static async Task<ChurnReport> RunChurnAsync(BenchConfig config, bool localServer, BenchProgress progress, CancellationToken cancellationToken)
    {
        if (!localServer)
        {
            progress.Step("memory after churn: skipped (--servers given)");
            progress.Step("");
            return new ChurnReport(true, "Skipped: it needs a fresh memcached per contender and never flushes a cluster given with --servers. Run without --servers to measure it.", []);
        }

        var results = new List<ChurnResult>();
        foreach (var (name, create) in new (string, Func<MemcachedClient, Contender>)[]
        {
            (NaiveContender.ContenderName, c => new NaiveContender(c)),
            // Δ does not change what is stored (data keys carry no token); Δ = 0 spares 100 clears × Δ of waiting.
            (TenantCacheContender.NoReuseName, TenantCacheContender.NoReuse),
        })
        {
            progress.Step($"memory after churn: {name} on a fresh memcached");
            await using var server = await MemcachedProcess.StartAsync("-m", "1024", "-t", "2");
            await using var client = new MemcachedClient(new MemcachedOptions { Servers = server.Endpoint, OperationTimeout = TimeSpan.FromSeconds(5) });
            await using var contender = create(client);
            var value = new string('v', config.ValueBytes);
            const string tenant = "churn";
            await LoadRunner.PopulateTenantAsync(contender, tenant, config.ChurnEntries, value, cancellationToken);
            var first = await ServerStats.ReadAsync(client.Servers[0], cancellationToken);
            for (var g = 0; g < config.ChurnGenerations; g++)
            {
                await contender.ClearTenantAsync(tenant);
                await LoadRunner.PopulateTenantAsync(contender, tenant, config.ChurnEntries, value, cancellationToken);
            }

            var after = await ServerStats.ReadAsync(client.Servers[0], cancellationToken);
            var bytes1 = ServerStats.Number(first, "bytes");
            var bytes = ServerStats.Number(after, "bytes");
            results.Add(new ChurnResult(name, config.ChurnEntries, config.ChurnGenerations, bytes1, ServerStats.Number(first, "curr_items"), bytes,
                ServerStats.Number(after, "curr_items"), Math.Round((double)bytes / bytes1, 2)));
        }

        return new ChurnReport(false, $"A tenant of {config.ChurnEntries:N0} entries written, then cleared and rewritten {config.ChurnGenerations} times, each contender on its own fresh local memcached; bytes and curr_items from `stats` after the first generation and at the end.", results);
    }
}
