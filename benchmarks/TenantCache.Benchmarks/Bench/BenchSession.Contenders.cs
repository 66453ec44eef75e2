using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

// The contenders: created by name (unknown names are a usage error), each checked across instances.
internal static partial class BenchSession
{
    private static async Task<List<Contender>> CreateContendersAsync(MemcachedClient client, IReadOnlyList<string>? only, BenchReport report, TextWriter error)
    {
        var distributed = new BenchDistributedCache(client);
        var factories = new (string Name, Func<Contender> Create)[]
        {
            (RawContender.ContenderName, () => new RawContender(client)),
            (NaiveContender.ContenderName, () => new NaiveContender(client)),
            (TenantCacheContender.ContenderName, () => TenantCacheContender.Default(client)),
            (TenantCacheContender.NoReuseName, () => TenantCacheContender.NoReuse(client)),
            (TenantCacheContender.CopyName, () => TenantCacheContender.Copy(client)),
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
}
