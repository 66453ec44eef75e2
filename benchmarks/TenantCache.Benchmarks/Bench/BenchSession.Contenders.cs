using System.Diagnostics;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

// The contenders: created by name (unknown names are a usage error), each checked across instances.
internal static partial class BenchSession
{
    /// <summary>The memcached contenders, all over one <see cref="MemcachedClient"/>.</summary>
    private static (string Name, Func<Contender> Create)[] MemcachedContenders(MemcachedClient client)
    {
        var distributed = new BenchDistributedCache(client);
        return
        [
            (RawContender.ContenderName, () => new RawContender(client)),
            (NaiveContender.ContenderName, () => new NaiveContender(client)),
            (TenantCacheContender.ContenderName, () => TenantCacheContender.Default(client)),
            (TenantCacheContender.NoReuseName, () => TenantCacheContender.NoReuse(client)),
            (TenantCacheContender.CopyName, () => TenantCacheContender.Copy(client)),
            ("fusion-dist", () => new FusionCacheContender(distributed, distributedOnly: true)),
            ("fusion-hybrid", () => new FusionCacheContender(distributed, distributedOnly: false)),
            ("hybrid-dist", () => new HybridCacheContender(distributed, localDisabled: true)),
            ("hybrid-default", () => new HybridCacheContender(distributed, localDisabled: false)),
        ];
    }

    private static async Task<List<Contender>> CreateContendersAsync((string Name, Func<Contender> Create)[] factories, IReadOnlyList<string>? only, BenchReport report, TextWriter error)
    {
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
                var check = await CheckStaleAcrossInstancesAsync(contender);
                report.Contenders.Add(new ContenderInfo(contender.Name, contender.Description, true, null, check.Stale, check.Note, check.PropagationMs));
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
    /// the tenant, B reads again. A hit on that last read is stale data served after the clear. A
    /// contender with a <see cref="Contender.PropagationWait"/> (a backplane) has B read again every few
    /// milliseconds until it misses or the wait is over; the time to B's first miss is reported.
    /// </summary>
    private static async Task<(bool? Stale, string Note, double? PropagationMs)> CheckStaleAcrossInstancesAsync(Contender a)
    {
        if (!a.HasTenantClear)
        {
            return (null, "no tenant clear", null);
        }

        await using var b = a.CreateSecondInstance();
        var tenant = "stale-check-" + Guid.NewGuid().ToString("N");
        await a.WriteAsync(tenant, "/k", "before the clear");
        var firstRead = await b.ReadAsync(tenant, "/k");
        await a.ClearTenantAsync(tenant);
        var cleared = Stopwatch.GetTimestamp();
        var aAfter = await a.ReadAsync(tenant, "/k");
        var bAfter = await b.ReadAsync(tenant, "/k");
        double? propagationMs = null;
        var waited = "";
        if (a.PropagationWait > TimeSpan.Zero)
        {
            while (bAfter && Stopwatch.GetElapsedTime(cleared) < a.PropagationWait)
            {
                await Task.Delay(2);
                bAfter = await b.ReadAsync(tenant, "/k");
            }

            var elapsed = Stopwatch.GetElapsedTime(cleared).TotalMilliseconds;
            propagationMs = bAfter ? null : Math.Round(elapsed, 1);
            waited = bAfter
                ? $" (still a hit {a.PropagationWait.TotalMilliseconds:F0} ms after the clear returned)"
                : $" (B's first miss {elapsed:F1} ms after the clear returned; reads polled for up to {a.PropagationWait.TotalMilliseconds:F0} ms)";
        }

        var note = $"instance B read before the clear: {(firstRead ? "hit" : "miss")}; after instance A cleared the tenant, A: {(aAfter ? "hit (stale)" : "miss")}, B: {(bAfter ? "hit (stale)" : "miss")}{waited}";
        return (aAfter || bAfter, note, propagationMs);
    }
}
