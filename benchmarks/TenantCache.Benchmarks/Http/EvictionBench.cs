using System.Diagnostics;
using Microsoft.AspNetCore.OutputCaching;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.Benchmarks.Http;

/// <summary>
/// The cost of evicting one tenant holding N cached responses, for an output-cache store: the store is
/// filled through its own <c>SetAsync</c> (keys shaped as the middleware makes them), then the tenant is
/// evicted by its tag. TenantCache's store is filled once and evicted repeatedly (its cost does not
/// depend on what is cached: one token write; the first eviction is the one of the full tenant); a
/// built-in store (ASP.NET Core's in-memory one in the HTTP bench, its Redis one in
/// <c>bench --engine redis</c>) is refilled before every eviction, since its eviction removes the
/// entries one by one. Around the timed evictions, untimed gets check that the first and last entry
/// were stored and then miss.
/// </summary>
internal static class EvictionBench
{
    private static readonly byte[] s_value = new byte[200];

    /// <summary>
    /// TenantCache: one tenant per size, all filled first, then evicted in rounds, sizes in rotated
    /// order each round, so every size is measured under the same conditions.
    /// </summary>
    public static async Task<List<EvictionResult>> RunTenantCacheAsync(IOutputCacheStore store, int[] sizes, int rounds, string contender = "tenantcache")
    {
        var tenants = sizes.Select(size => $"evict-{size}-{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < sizes.Length; i++)
        {
            await FillAsync(store, tenants[i], sizes[i], tenantCache: true);
        }

        var hitBefore = await AllHitAsync(store, tenants, sizes, tenantCache: true);
        await TimeEvictionAsync(store, "evict-warm-up"); // connection, JIT: not part of any size's figure
        var samples = sizes.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var j = 0; j < sizes.Length; j++)
            {
                var i = (j + round) % sizes.Length;
                samples[i].Add(await TimeEvictionAsync(store, tenants[i]));
            }
        }

        var results = new List<EvictionResult>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var missed = hitBefore && await MissesAsync(store, tenants[i], sizes[i], tenantCache: true);
            results.Add(Result(contender, sizes[i], samples[i], missed));
        }

        return results;
    }

    /// <summary>The built-in store removes entries one by one: it is refilled before every eviction.</summary>
    public static async Task<EvictionResult> RunBuiltInAsync(IOutputCacheStore store, int entries, int repetitions, string contender = "builtin-memory")
    {
        var tenant = $"evict-{entries}-{Guid.NewGuid():N}";
        await TimeEvictionAsync(store, "evict-warm-up");
        var samples = new List<double>();
        var missed = true;
        for (var i = 0; i < repetitions; i++)
        {
            await FillAsync(store, tenant, entries, tenantCache: false);
            var hitBefore = await AllHitAsync(store, [tenant], [entries], tenantCache: false);
            samples.Add(await TimeEvictionAsync(store, tenant));
            missed &= hitBefore && await MissesAsync(store, tenant, entries, tenantCache: false);
        }

        return Result(contender, entries, samples, missed);
    }

    private static async Task<double> TimeEvictionAsync(IOutputCacheStore store, string tenant)
    {
        var started = Stopwatch.GetTimestamp();
        await store.EvictByTagAsync("tenant:" + tenant, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    }

    private static EvictionResult Result(string contender, int entries, List<double> samples, bool evictedMissed)
    {
        var sorted = samples.Order().ToArray();
        return new EvictionResult(contender, entries, samples[0], sorted[sorted.Length / 2], samples.Count, evictedMissed);
    }

    /// <summary>Whether the first and the last entry of every tenant are found: the fill stored what is then evicted.</summary>
    private static async Task<bool> AllHitAsync(IOutputCacheStore store, string[] tenants, int[] sizes, bool tenantCache)
    {
        for (var i = 0; i < tenants.Length; i++)
        {
            foreach (var entry in new[] { 0, sizes[i] - 1 })
            {
                if (await store.GetAsync(KeyOf(tenants[i], entry, tenantCache), CancellationToken.None) is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether the first and the last entry of an evicted tenant miss.</summary>
    private static async Task<bool> MissesAsync(IOutputCacheStore store, string tenant, int entries, bool tenantCache) =>
        await store.GetAsync(KeyOf(tenant, 0, tenantCache), CancellationToken.None) is null
        && await store.GetAsync(KeyOf(tenant, entries - 1, tenantCache), CancellationToken.None) is null;

    // TenantCache finds the tenant in the key prefix its VaryByTenant policy writes; the built-in
    // store needs the tenant as a tag on every entry (FillAsync).
    private static string KeyOf(string tenant, int entry, bool tenantCache) =>
        $"{(tenantCache ? TenantKeyPrefix.Create(tenant) : tenant)}\u001eGET\u001eHTTP\u001eORIGIN.TEST/ITEMS/{entry}";

    private static async Task FillAsync(IOutputCacheStore store, string tenant, int entries, bool tenantCache)
    {
        string[] tags = tenantCache ? [] : ["tenant:" + tenant];
        var next = -1;
        var workers = Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < entries)
            {
                await store.SetAsync(KeyOf(tenant, i, tenantCache), s_value, tags, TimeSpan.FromMinutes(30), CancellationToken.None);
            }
        });
        await Task.WhenAll(workers);
    }
}

/// <summary>
/// Eviction of one tenant of <paramref name="Entries"/> responses: the first eviction and the median, in µs; and
/// whether the check held (its first and last entry found after the fill, then missing after every eviction).
/// </summary>
internal sealed record EvictionResult(string Contender, int Entries, double FirstMicros, double MedianMicros, int Repetitions, bool EvictedEntriesMissed);
