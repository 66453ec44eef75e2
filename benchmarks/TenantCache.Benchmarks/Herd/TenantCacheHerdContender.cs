using TenantCache.Benchmarks.Bench;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// TenantCache over <see cref="MemcachedCacheStore"/>: <c>ApplicationCache("bench.herd").Tenant(t)</c>,
/// <c>GetOrCreateAsync</c>, a clear is the tenant scope's <c>InvalidateAsync</c> (one token write, seen
/// by every process; it returns after the token reuse window Δ). Three variants: default options (fleet
/// single flight through memcached leases, <see cref="TenantCacheOptions.Leases"/>, on by default),
/// the same with <see cref="CacheEntryOptions.StaleFor"/>, and leases off (in-process single flight only).
/// </summary>
internal sealed class TenantCacheHerdContender : HerdContender
{
    public const string DefaultName = "tenantcache";

    public const string StaleName = "tenantcache-stale";

    public const string NoLeaseName = "tenantcache-nolease";

    /// <summary>How long <see cref="StaleName"/> may serve the previous value after a clear.</summary>
    public static readonly TimeSpan StaleFor = TimeSpan.FromSeconds(10);

    private readonly ApplicationCache _cache;
    private readonly ICacheScope _scope;
    private readonly CacheEntryOptions _entryOptions;

    public TenantCacheHerdContender(string name, MemcachedClient client, string run)
        : base(run)
    {
        Name = name;
        var options = new TenantCacheOptions
        {
            Application = "bench.herd",
            DefaultExpiration = Contender.Ttl,
            ThrowOnStoreErrors = true,
            Leases = new LeaseOptions { Enabled = name == NoLeaseName ? false : null },
        };
        _cache = new ApplicationCache(new MemcachedCacheStore(client), options);
        _scope = _cache.Tenant(Tenant);
        _entryOptions = name == StaleName
            ? new CacheEntryOptions { Expiration = Contender.Ttl, StaleFor = StaleFor }
            : CacheEntryOptions.Expires(Contender.Ttl);
    }

    public override string Name { get; }

    public override string Description => Name switch
    {
        StaleName => $"ApplicationCache(bench.herd).Tenant(t) over MemcachedCacheStore, default options, GetOrCreateAsync with StaleFor = {StaleFor.TotalSeconds:F0} s: after a clear a caller may get the previous value at once while one caller in the fleet recomputes",
        NoLeaseName => "ApplicationCache(bench.herd).Tenant(t) over MemcachedCacheStore, Leases.Enabled = false: single flight inside each process only",
        _ => "ApplicationCache(bench.herd).Tenant(t) over MemcachedCacheStore, default options (Leases on by default on memcached: one recompute per key in the fleet), GetOrCreateAsync",
    };

    public override string ClearMethod =>
        "Tenant(t).InvalidateAsync() once, by the coordinator: one write of a fresh tenant token in memcached, seen by every process; it returns once the replaced token's reuse wait has passed " +
        $"(at least Δ = {TenantCacheOptions.DefaultTokenReuseWindow.TotalMilliseconds:F0} ms: 'clear ms'), and until then a process that still reuses the old token may serve the previous value";

    public override bool ClearIsFleetWide => true;

    public override bool IsTenantCache => true;

    public override ValueTask<string> GetOrCreateAsync(int index, Func<CancellationToken, ValueTask<string>> factory) =>
        _scope.GetOrCreateAsync(Key(index), factory, _entryOptions);

    public override ValueTask ClearAsync() => _scope.InvalidateAsync();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
