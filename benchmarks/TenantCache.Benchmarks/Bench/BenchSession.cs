using System.Diagnostics;
using System.Runtime.InteropServices;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>One bench run: contenders, load scenarios, clear cost, memory after churn, targets.</summary>
internal static class BenchSession
{
    public static async Task<BenchReport?> RunAsync(BenchConfig config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        MemcachedProcess? local = null;
        string servers;
        if (string.IsNullOrWhiteSpace(config.Servers))
        {
            local = await MemcachedProcess.StartAsync("-m", "1024", "-t", "2");
            servers = local.Endpoint;
            await error.WriteLineAsync($"Started a local {local}.");
        }
        else
        {
            servers = string.Join(',', BenchUsageException.ParseServers(config.Servers).Select(e => $"{e.Host}:{e.Port}"));
        }

        try
        {
            await using var client = new MemcachedClient(new MemcachedOptions { Servers = servers, OperationTimeout = TimeSpan.FromSeconds(5) });
            string? version = null;
            try
            {
                var stats = await ServerStats.ReadAsync(client.Servers[0], cancellationToken);
                version = stats.TryGetValue("version", out var v) ? v : null;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException or IOException)
            {
                await error.WriteLineAsync($"Cannot reach memcached at {client.Servers[0]}: {ex.Message}");
                return null;
            }

            var report = new BenchReport
            {
                Mode = config.Quick ? "quick" : "full",
                StartedUtc = DateTimeOffset.UtcNow,
                Machine = new BenchMachine(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, version),
                Servers = servers,
                LocalServer = local is not null,
                Settings = new BenchSettings(Scenarios.All, config.Concurrency, config.DurationMs, config.WarmupMs, config.Rounds, config.Tenants, config.KeysPerTenant,
                    config.ValueBytes, config.TenantSizes, config.ChurnEntries, config.ChurnGenerations),
            };
            if (config.Quick)
            {
                report.Notes.Add($"Quick mode: callers {string.Join(',', config.Concurrency)}, {config.DurationMs} ms per run, {config.Rounds} rounds, clear cost for tenants of {string.Join(", ", config.TenantSizes.Select(s => s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} entries.");
            }

            var contenders = await CreateContendersAsync(client, config.Contenders, report, error);
            await using var disposeAll = new AsyncDisposables(contenders);
            var runner = new LoadRunner(config.Tenants, config.KeysPerTenant, config.ValueBytes);
            var progress = new BenchProgress(error, TotalSteps(config, contenders.Count));

            foreach (var contender in contenders)
            {
                progress.Step($"populate {contender.Name}");
                await runner.PopulateAsync(contender, cancellationToken);
            }

            // Warm every code path once (JIT tiers, connection buffers) before anything is measured:
            // reads and writes only, so the read-hit data stays in place.
            foreach (var contender in contenders)
            {
                progress.Step($"warm up {contender.Name}");
                foreach (var scenario in new[] { Scenarios.ReadHit, Scenarios.ReadMiss, Scenarios.Write })
                {
                    await runner.RunAsync(contender, scenario, Math.Min(16, config.Concurrency.Max()), TimeSpan.Zero, TimeSpan.FromMilliseconds(config.Quick ? 100 : 300));
                }
            }

            await RunLoadAsync(config, contenders, runner, report, progress, cancellationToken);
            report.Invalidation = await RunInvalidationAsync(config, contenders, runner, progress, cancellationToken);
            report.Churn = await RunChurnAsync(config, local is not null, progress, cancellationToken);
            progress.Done();

            BenchTargets.Evaluate(report);
            report.ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            BenchTable.Write(report, output);
            if (config.JsonFile is not null)
            {
                await File.WriteAllTextAsync(config.JsonFile.FullName, report.ToJson(), cancellationToken);
                await error.WriteLineAsync($"Wrote {config.JsonFile.FullName}.");
            }

            return report;
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync();
            }
        }
    }

    private static int TotalSteps(BenchConfig config, int contenders) =>
        (2 * contenders) + (Scenarios.All.Length * config.Concurrency.Count * config.Rounds * contenders) + config.TenantSizes.Count + 2;

    private static async Task<List<Contender>> CreateContendersAsync(MemcachedClient client, IReadOnlyList<string>? only, BenchReport report, TextWriter error)
    {
        var distributed = new BenchDistributedCache(client);
        var factories = new (string Name, Func<Contender> Create)[]
        {
            (RawContender.ContenderName, () => new RawContender(client)),
            (NaiveContender.ContenderName, () => new NaiveContender(client)),
            (TenantCacheContender.ContenderName, () => new TenantCacheContender(client)),
            ("fusion-dist", () => new FusionCacheContender(distributed, distributedOnly: true)),
            ("fusion-hybrid", () => new FusionCacheContender(distributed, distributedOnly: false)),
            ("hybrid-dist", () => new HybridCacheContender(distributed, localDisabled: true)),
            ("hybrid-default", () => new HybridCacheContender(distributed, localDisabled: false)),
        };
        var contenders = new List<Contender>();
        var unknown = only?.Except(factories.Select(f => f.Name)).ToList();
        if (unknown is { Count: > 0 })
        {
            throw new BenchUsageException($"--contenders: unknown {string.Join(", ", unknown)} (known: {string.Join(", ", factories.Select(f => f.Name))}).");
        }

        foreach (var (name, create) in factories.Where(f => only is null || f.Name == RawContender.ContenderName || only.Contains(f.Name)))
        {
            try
            {
                var contender = create();
                var (stale, note) = await CheckStaleAcrossInstancesAsync(contender);
                report.Contenders.Add(new ContenderInfo(contender.Name, contender.Description, true, null, stale, note));
                contenders.Add(contender);
            }
#pragma warning disable CA1031 // A contender that cannot run is reported as such; the others still run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                report.Contenders.Add(new ContenderInfo(name, "", false, $"{ex.GetType().Name}: {ex.Message}", null, null));
                await error.WriteLineAsync($"Contender {name} cannot run: {ex.Message}");
            }
        }

        return contenders;
    }

    /// <summary>
    /// Two instances over the same server: B reads an entry (caching it wherever it caches), A clears
    /// the tenant, B reads again. A hit on that last read is stale data served after the clear.
    /// </summary>
    private static async Task<(bool? Stale, string Note)> CheckStaleAcrossInstancesAsync(Contender a)
    {
        if (!a.HasTenantClear)
        {
            return (null, "no tenant clear");
        }

        await using var b = a.CreateSecondInstance();
        var tenant = "stale-check-" + Guid.NewGuid().ToString("N");
        await a.WriteAsync(tenant, "/k", "before the clear");
        var firstRead = await b.ReadAsync(tenant, "/k");
        await a.ClearTenantAsync(tenant);
        var aAfter = await a.ReadAsync(tenant, "/k");
        var bAfter = await b.ReadAsync(tenant, "/k");
        var note = $"instance B read before the clear: {(firstRead ? "hit" : "miss")}; after instance A cleared the tenant, A: {(aAfter ? "hit (stale)" : "miss")}, B: {(bAfter ? "hit (stale)" : "miss")}";
        return (aAfter || bAfter, note);
    }

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

    private static async Task<InvalidationReport> RunInvalidationAsync(BenchConfig config, List<Contender> contenders, LoadRunner runner, BenchProgress progress, CancellationToken cancellationToken)
    {
        var measured = contenders.Where(c => c.Name is TenantCacheContender.ContenderName or NaiveContender.ContenderName).ToList();
        const int clears = 31;
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

        var note = $"Each size: the tenant is filled, then cleared {clears} times alternating naive and tenantcache; the median of the clear call is reported (first = the clear of the full tenant). " +
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
            (TenantCacheContender.ContenderName, c => new TenantCacheContender(c)),
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

    private sealed class AsyncDisposables(List<Contender> contenders) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var contender in contenders)
            {
                await contender.DisposeAsync();
            }
        }
    }
}

/// <summary>A one-line progress display on standard error (rewritten in place on a terminal).</summary>
internal sealed class BenchProgress(TextWriter error, int total)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
    private int _step;
    private string _lastBlock = "";

    public void Step(string label)
    {
        _step++;
        var elapsed = Stopwatch.GetElapsedTime(_start);
        var line = $"[{_step,3}/{total}] {elapsed:mm\\:ss} {label}";
        if (_interactive)
        {
            error.Write("\r" + line.PadRight(Math.Max(20, Console.WindowWidth - 1))[..Math.Max(20, Console.WindowWidth - 1)]);
            return;
        }

        // Redirected: one line per scenario block, not one per run.
        var block = label.Split(" round ")[0];
        if (block != _lastBlock)
        {
            _lastBlock = block;
            error.WriteLine(line);
        }
    }

    public void Done()
    {
        if (_interactive)
        {
            error.WriteLine();
        }

        error.WriteLine($"Measured in {Stopwatch.GetElapsedTime(_start):mm\\:ss}.");
    }
}
