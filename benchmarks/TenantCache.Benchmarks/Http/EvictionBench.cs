using System.Diagnostics;
using Microsoft.AspNetCore.OutputCaching;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.Benchmarks.Http;

/// <summary>
/// The cost of evicting one tenant holding N cached responses, for an output-cache store: the store is
/// filled through its own <c>SetAsync</c> (keys shaped as the middleware makes them), then the tenant is
/// evicted by its tag. TenantCache's store is filled once and evicted repeatedly (the cost does not
/// depend on what is cached: one token write); the built-in store is refilled before every eviction,
/// since its eviction removes the entries one by one.
/// </summary>
internal static class EvictionBench
{
    private static readonly byte[] s_value = new byte[200];

    public static async Task<EvictionResult> RunAsync(string contender, IOutputCacheStore store, int entries, int repetitions)
    {
        var tenant = $"evict-{entries}-{Guid.NewGuid():N}";
        var tenantCache = contender == "tenantcache";
        var samples = new List<double>();
        double first = 0;
        for (var i = 0; i < repetitions; i++)
        {
            if (i == 0 || !tenantCache)
            {
                await FillAsync(store, tenant, entries, tenantCache);
            }

            var started = Stopwatch.GetTimestamp();
            await store.EvictByTagAsync("tenant:" + tenant, CancellationToken.None);
            var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            if (i == 0)
            {
                first = micros;
            }

            samples.Add(micros);
        }

        samples.Sort();
        return new EvictionResult(contender, entries, first, samples[samples.Count / 2], repetitions);
    }

    private static async Task FillAsync(IOutputCacheStore store, string tenant, int entries, bool tenantCache)
    {
        // TenantCache finds the tenant in the key prefix its VaryByTenant policy writes; the built-in
        // store needs the tenant as a tag on every entry.
        var prefix = tenantCache ? TenantKeyPrefix.Create(tenant, null) : tenant;
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
