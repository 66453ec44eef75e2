using System.CommandLine;
using System.Globalization;
using TenantCache.Benchmarks.Bench.Rtt;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/TenantCache.Benchmarks -- bench [--servers LIST] [--quick] [--rtt 200us] [--json FILE]</c>: raw memcached, the naive
/// namespace recipe, TenantCache, FusionCache and HybridCache measured side by side on the same
/// memcached (a local one it starts when no servers are given). With <c>--engine redis [--redis HOST:PORT]</c>
/// the same scenarios run over one Redis (raw, TenantCache, FusionCache with its Redis backplane, HybridCache),
/// followed by the output-cache tag eviction of ASP.NET Core's Redis store against TenantCache's.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var servers = new Option<string?>("--servers")
        {
            Description = "memcached servers, host:port[:weight],... (default: start a local memcached on a free 127.0.0.1 port)",
        };
        var quick = new Option<bool>("--quick") { Description = "A short run (under a minute): fewer callers, shorter runs, smaller tenants." };
        var json = new Option<FileInfo?>("--json") { Description = "Write machine-readable results to this file." };
        var duration = new Option<int?>("--duration") { Description = "Measured milliseconds per contender, scenario, concurrency and round." };
        var rounds = new Option<int?>("--rounds") { Description = "Rounds (contenders alternate order each round; medians are reported)." };
        var concurrency = new Option<string?>("--concurrency") { Description = "Concurrent callers, comma-separated (default 1,16,64,256; quick 1,64)." };
        var tenantSizes = new Option<string?>("--tenant-sizes") { Description = "Tenant sizes for the clear-cost scenario (default 1,1000,100000; quick 1,1000,10000)." };
        var churnGenerations = new Option<int?>("--churn-generations") { Description = "Clear-and-rewrite cycles in the memory-after-churn scenario (default 100)." };
        var churnEntries = new Option<int?>("--churn-entries") { Description = "Entries of the churned tenant (default 1000)." };
        var only = new Option<string?>("--contenders") { Description = "Run only these contenders, comma-separated (raw is always included: ratios need it)." };
        var rtt = new Option<string?>("--rtt") { Description = "Add this round trip to every memcached reply through a relay on loopback (e.g. 200us, 1ms; units us, ms, s)." };
        var engine = new Option<string?>("--engine") { Description = "The server all contenders share: memcached (default) or redis." };
        var redis = new Option<string?>("--redis") { Description = "With --engine redis: the Redis to use, host:port or a StackExchange.Redis configuration string (default: start a local Redis on a free 127.0.0.1 port)." };
        var clears = new Option<int?>("--clears") { Description = "Clears per contender and tenant size in the clear-cost scenario (default 31; quick 11)." };
        var command = new Command("bench", "Measure TenantCache against raw memcached, the naive namespace scheme, FusionCache and HybridCache, side by side (or over Redis with --engine redis).");
        foreach (var option in new Option[] { servers, quick, json, duration, rounds, concurrency, tenantSizes, churnGenerations, churnEntries, only, rtt, engine, redis, clears })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var isQuick = parseResult.GetValue(quick);
            var settings = new BenchConfig
            {
                Quick = isQuick,
                Engine = ParseEngine(parseResult.GetValue(engine)),
                Servers = parseResult.GetValue(servers),
                Redis = parseResult.GetValue(redis),
                Clears = parseResult.GetValue(clears) ?? (isQuick ? 11 : 31),
                JsonFile = parseResult.GetValue(json),
                DurationMs = parseResult.GetValue(duration) ?? (isQuick ? 200 : 700),
                Rounds = parseResult.GetValue(rounds) ?? (isQuick ? 2 : 3),
                Concurrency = ParseList(parseResult.GetValue(concurrency), "--concurrency") ?? (isQuick ? [1, 64] : [1, 16, 64, 256]),
                TenantSizes = ParseList(parseResult.GetValue(tenantSizes), "--tenant-sizes") ?? (isQuick ? [1, 1_000, 10_000] : [1, 1_000, 100_000]),
                ChurnGenerations = parseResult.GetValue(churnGenerations) ?? 100,
                ChurnEntries = parseResult.GetValue(churnEntries) ?? 1_000,
                Rtt = parseResult.GetValue(rtt) is { } rttText ? RttOption.Parse(rttText) : null,
                Contenders = parseResult.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            if (settings.DurationMs <= 0 || settings.Rounds <= 0 || settings.ChurnGenerations <= 0 || settings.ChurnEntries <= 0 || settings.Clears <= 0)
            {
                throw new BenchUsageException("--duration, --rounds, --clears, --churn-generations and --churn-entries must be positive.");
            }

            if (settings.Engine == BenchEngine.Redis)
            {
                if (settings.Servers is not null || settings.Rtt is not null)
                {
                    throw new BenchUsageException("--servers and --rtt are memcached options; with --engine redis give the server with --redis.");
                }

                if (settings.Redis is null && !RedisProcess.IsInstalled)
                {
                    await Console.Error.WriteLineAsync("bench --engine redis starts a local Redis when --redis is not given, but no Redis server binary was found. " + RedisProcess.InstallHint);
                    return 1;
                }
            }
            else if (settings.Redis is not null)
            {
                throw new BenchUsageException("--redis needs --engine redis.");
            }
            else if (settings.Servers is null && !MemcachedProcess.IsInstalled)
            {
                await Console.Error.WriteLineAsync("bench starts a local memcached when --servers is not given, but no memcached binary was found. " + MemcachedProcess.InstallHint);
                return 1;
            }

            var report = await BenchSession.RunAsync(settings, Console.Out, Console.Error, cancellationToken);
            return report is null ? 1 : 0;
        });
        return command;
    }

    private static BenchEngine ParseEngine(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "memcached" => BenchEngine.Memcached,
        "redis" => BenchEngine.Redis,
        _ => throw new BenchUsageException($"--engine: expected memcached or redis, not '{text}'."),
    };

    private static int[]? ParseList(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
            if (values.Length == 0 || values.Any(v => v <= 0))
            {
                throw new FormatException("values must be positive");
            }

            return values;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new BenchUsageException($"{option}: expected positive integers separated by commas ({ex.Message}).");
        }
    }
}
