using System.Globalization;
using System.Text.Json;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Http;

/// <summary>
/// The HTTP scenario of docs/benchmarks.md: output-cache hits through ASP.NET Core's middleware for
/// TenantCache's store over memcached, the built-in in-memory output cache, and no cache, measured
/// side by side with wrk in rounds (order rotated each round, medians quoted); then the cost of
/// evicting one tenant of 1, 1,000 and 100,000 cached responses for both stores.
/// </summary>
internal static class HttpBench
{
    private static readonly string[] s_contenders = ["tenantcache", "tenantcache-inproc", "builtin-memory", "no-cache"];
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var options = HttpBenchOptions.Parse(args);
        var loadBefore = LoadAverage();
        Console.WriteLine($"load average before: {loadBefore}");
        Console.WriteLine($"wrk: {options.Connections} connections, 2 threads, {options.Duration.TotalSeconds:0} s per cell, {options.Rounds} rounds; {options.Tenants} tenants; compute per miss: {string.Join(", ", options.ComputeMilliseconds.Select(c => c + " ms"))}");

        await using var memcached = options.Servers is null ? await MemcachedProcess.StartAsync("-m", "1024", "-t", "2") : null;
        var servers = options.Servers ?? memcached!.Endpoint;
        var scripts = Directory.CreateTempSubdirectory("tenantcache-wrk").FullName;
        try
        {
            var tables = new List<HttpTable>();
            foreach (var compute in options.Hits ? options.ComputeMilliseconds : [])
            {
                tables.Add(await RunHitsAsync(options, servers, TimeSpan.FromMilliseconds(compute), scripts));
            }

            var evictions = new List<EvictionResult>();
            if (options.Evictions)
            {
                await using (var tenantCache = await HttpContender.StartAsync("tenantcache", servers, TimeSpan.Zero))
                {
                    evictions.AddRange(await EvictionBench.RunTenantCacheAsync(tenantCache.Store!, options.TenantSizes, rounds: 31));
                }

                await using var builtIn = await HttpContender.StartAsync("builtin-memory", servers, TimeSpan.Zero);
                foreach (var size in options.TenantSizes)
                {
                    evictions.Add(await EvictionBench.RunBuiltInAsync(builtIn.Store!, size, size >= 100_000 ? 3 : 11));
                }
            }

            var summary = new HttpBenchSummary(tables, evictions, loadBefore, LoadAverage());
            HttpBenchReport.Print(summary, Console.Out);
            if (options.JsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, s_json));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(scripts, recursive: true);
        }
    }

    private static async Task<HttpTable> RunHitsAsync(HttpBenchOptions options, string servers, TimeSpan compute, string scripts)
    {
        var contenders = new List<HttpContender>();
        try
        {
            foreach (var name in s_contenders)
            {
                contenders.Add(await HttpContender.StartAsync(name, servers, compute));
            }

            var runs = s_contenders.ToDictionary(n => n, _ => new List<WrkResult>());
            foreach (var contender in contenders)
            {
                await WrkRunner.RunAsync(contender.Address, options.Tenants, options.Connections, TimeSpan.FromSeconds(2), scripts); // warm: JIT, every tenant cached
            }

            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var contender in Rotate(contenders, round))
                {
                    var result = await WrkRunner.RunAsync(contender.Address, options.Tenants, options.Connections, options.Duration, scripts);
                    runs[contender.Name].Add(result);
                    Console.Error.WriteLine($"compute {compute.TotalMilliseconds} ms, round {round + 1}, {contender.Name}: {result.RequestsPerSecond:0} req/s p50 {result.P50Micros:0} µs p99 {result.P99Micros:0} µs errors {result.Errors}");
                }
            }

            return HttpBenchReport.Summarize(compute.TotalMilliseconds, runs);
        }
        finally
        {
            foreach (var contender in contenders)
            {
                await contender.DisposeAsync();
            }
        }
    }

    private static List<HttpContender> Rotate(List<HttpContender> contenders, int round)
    {
        var order = contenders.Skip(round % contenders.Count).Concat(contenders.Take(round % contenders.Count)).ToList();
        if (round % 2 == 1)
        {
            order.Reverse();
        }

        return order;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

/// <summary>Command-line settings of the HTTP bench.</summary>
internal sealed record HttpBenchOptions(TimeSpan Duration, int Rounds, int Connections, int Tenants, int[] ComputeMilliseconds, int[] TenantSizes, string? Servers, string? JsonPath, bool Hits, bool Evictions)
{
    public static HttpBenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int[] List(string name, int[] fallback) => Value(name) is { } v ? v.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : fallback;
        var sizes = List("--tenant-sizes", quick ? [1, 1_000, 10_000] : [1, 1_000, 100_000]);
        return new HttpBenchOptions(
            TimeSpan.FromSeconds(Int("--duration", quick ? 3 : 8)),
            Int("--rounds", quick ? 1 : 3),
            Int("--connections", 64),
            Int("--tenants", 100),
            List("--compute-ms", [0, 5]),
            sizes,
            Value("--servers"),
            Value("--json"),
            Hits: Value("--scenarios") is not { } only || only.Contains("hits", StringComparison.Ordinal),
            Evictions: Value("--scenarios") is not { } which || which.Contains("evict", StringComparison.Ordinal));
    }
}
