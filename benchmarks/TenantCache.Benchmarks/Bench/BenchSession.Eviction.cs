using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.AspNetCore;
using TenantCache.Benchmarks.Http;
using TenantCache.Redis;

namespace TenantCache.Benchmarks.Bench;

// bench --engine redis: output-cache tag eviction, ASP.NET Core's Redis store against TenantCache's, with
// the HTTP bench's eviction procedure (EvictionBench).
internal static partial class BenchSession
{
    /// <summary>The name of ASP.NET Core's Redis output-cache store in the tables.</summary>
    public const string AspNetCoreRedisStore = "aspnetcore-redis";

    private static int EvictionSteps(BenchConfig config) => 2 + config.TenantSizes.Count;

    /// <summary>
    /// Each store registered the way an application registers it, each with its own connection to the
    /// same Redis: TenantCache's filled once per size and evicted in rounds (one token write whatever it
    /// holds), ASP.NET Core's refilled before every eviction (it deletes the tag's entries one by one).
    /// After the evictions a get of the first and the last evicted entry must miss in both.
    /// </summary>
    private static async Task<EvictionReport> RunRedisEvictionAsync(BenchConfig config, string configuration, BenchProgress progress)
    {
        var sizes = config.TenantSizes.ToArray();
        var results = new List<EvictionResult>();
        foreach (var (name, window) in new (string, TimeSpan?)[] { (TenantCacheContender.ContenderName, null), (TenantCacheContender.NoReuseName, TimeSpan.Zero) })
        {
            progress.Step($"output-cache eviction: {name}, every size");
            await using var services = OutputCacheServices(configuration, tenantCache: true, window);
            results.AddRange(await EvictionBench.RunTenantCacheAsync(services.GetRequiredService<IOutputCacheStore>(), sizes, config.Clears, name));
        }

        var repetitions = Math.Min(11, config.Clears);
        await using (var services = OutputCacheServices(configuration, tenantCache: false, window: null))
        {
            var store = services.GetRequiredService<IOutputCacheStore>();
            foreach (var size in sizes)
            {
                progress.Step($"output-cache eviction: {AspNetCoreRedisStore}, {size:N0} entries");
                results.Add(await EvictionBench.RunBuiltInAsync(store, size, size >= 100_000 ? Math.Min(3, repetitions) : repetitions, AspNetCoreRedisStore));
            }
        }

        var note = $"A tag (tenant:{{id}}) of N entries, 200-byte values, filled through the store's SetAsync, then EvictByTagAsync timed: {TenantCacheContender.ContenderName} " +
            $"(AddTenantCache().WithRedis().WithOutputCaching(), default options: an eviction returns after the token reuse window Δ, up to 2 Δ right after another) and {TenantCacheContender.NoReuseName} (TokenReuseWindow = 0: the token writes alone) " +
            $"filled once, {config.Clears} evictions per size in rotated order (first = the eviction of the full tag); " +
            $"{AspNetCoreRedisStore} (AddStackExchangeRedisOutputCache) refilled before each of {repetitions} evictions ({Math.Min(3, repetitions)} for 100,000 or more). " +
            "missed = the first and last entry were found after the fill and missed after every eviction.";
        return new EvictionReport(note, results);
    }

    private static ServiceProvider OutputCacheServices(string configuration, bool tenantCache, TimeSpan? window)
    {
        var services = new ServiceCollection();
        if (tenantCache)
        {
            services.AddTenantCache(o =>
                {
                    o.Application = window == TimeSpan.Zero ? "bench.oc-tc-d0" : "bench.oc-tc";
                    o.TokenReuseWindow = window;
                })
                .WithRedis(o => o.Configuration = configuration)
                .WithOutputCaching();
        }
        else
        {
            services.AddStackExchangeRedisOutputCache(o =>
            {
                o.Configuration = configuration;
                o.InstanceName = "bench.oc-redis:";
            });
        }

        return services.BuildServiceProvider();
    }
}
