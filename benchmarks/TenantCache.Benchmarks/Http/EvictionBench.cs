using System.Diagnostics;
using Microsoft.AspNetCore.OutputCaching;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.Benchmarks.Http;

/// <summary>
/// The cost of evicting one tenant holding N cached responses, for an output-cache store: the store is
/// filled through its own <c>SetAsync</c> (keys shaped as the middleware makes them), then the tenant is
/// evicted by its tag. TenantCache's store is filled once and evicted repeatedly (its cost does not
/// depend on what is cached: one token write; the first eviction is the one of the full tenant); the
/// built-in store is refilled before every eviction, since its eviction removes the entries one by one.
/// </summary>
internal static class EvictionBench
{
    private static readonly byte[] s_value = new byte[200];

    /// <summary>
    /// TenantCache: one tenant per size, all filled first, then evicted in rounds, sizes in rotated
    /// order each round, so every size is measured under the same conditions.
    /// </summary>
    public static async Task<List<EvictionResult>> RunTenantCacheAsync(IOutputCacheStore store, int[] sizes, int rounds)
    {
        var tenants = sizes.Select(size => $"evict-{size}-{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < sizes.Length; i++)
        {
            await FillAsync(store, tenants[i], sizes[i], tenantCache: true);
        }

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

        return [.. sizes.Select((size, i) => Result("tenantcache", size, samples[i]))];
    }

    /// <summary>The built-in store removes entries one by one: it is refilled before every eviction.</summary>
    public static async Task<EvictionResult> RunBuiltInAsync(IOutputCacheStore store, int entries, int repetitions)
    {
        var tenant = $"evict-{entries}-{Guid.NewGuid():N}";
        await TimeEvictionAsync(store, "evict-warm-up");
        var samples = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            await FillAsync(store, tenant, entries, tenantCache: false);
            samples.Add(await TimeEvictionAsync(store, tenant));
        }

        return Result("builtin-memory", entries, samples);
    }

    private static async Task<double> TimeEvictionAsync(IOutputCacheStore store, string tenant)
    {
        var started = Stopwatch.GetTimestamp();
        await store.EvictByTagAsync("tenant:" + tenant, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    }

    private static EvictionResult Result(string contender, int entries, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new EvictionResult(contender, entries, samples[0], sorted[sorted.Length / 2], samples.Count);
    }

    private static async Task FillAsync(IOutputCacheStore store, string tenant, int entries, bool tenantCache)
    {
        // TenantCache finds the tenant in the key prefix its VaryByTenant policy writes; the built-in
        // store needs the tenant as a tag on every entry.
        var prefix = tenantCache ? TenantKeyPrefix.Create(tenant) : tenant;
        string[] tags = tenantCache ? [] : ["tenant:" + tenant];
        var next = -1;
        var workers = Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < entries)
            {
                await store.SetAsync($"{prefix}\u001eGET\u001eHTTP\u001eORIGIN.TEST/ITEMS/{i}", s_value, tags, TimeSpan.FromMinutes(30), CancellationToken.None);
            }
        });
        await Task.WhenAll(workers);
    }
}

/// <summary>Eviction of one tenant of <paramref name="Entries"/> responses: the first eviction and the median, in µs.</summary>
internal sealed record EvictionResult(string Contender, int Entries, double FirstMicros, double MedianMicros, int Repetitions);
