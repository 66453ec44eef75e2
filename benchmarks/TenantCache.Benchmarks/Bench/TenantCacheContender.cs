using StackExchange.Redis;
using TenantCache.Memcached;
using TenantCache.Redis;
using TenantCache.Stores;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// TenantCache: an application and its tenant scopes over the run's store (<see cref="MemcachedCacheStore"/>
/// or <see cref="RedisCacheStore"/>), strict reads, with a given token reuse window (Δ). Each window has its
/// own application, so the token records one contender writes (they carry the writer's Δ) never limit the
/// other's reuse. A second instance is a new application cache over a new store on the same client.
/// </summary>
internal sealed class TenantCacheContender : Contender
{
    /// <summary>Default options: Δ = null, the store's default (500 ms on memcached and on Redis).</summary>
    public const string ContenderName = "tenantcache";

    /// <summary><see cref="TenantCacheOptions.TokenReuseWindow"/> = <see cref="TimeSpan.Zero"/>: every token read on every read.</summary>
    public const string NoReuseName = "tenantcache-d0";

    /// <summary>Default window and the in-process value copy on (<see cref="TenantCacheOptions.LocalCopy"/>).</summary>
    public const string CopyName = "tenantcache-copy";

    private static readonly CacheEntryOptions EntryOptions = CacheEntryOptions.Expires(Ttl);
    private readonly StoreKind _store;
    private readonly Func<ICacheStore> _newStore;
    private readonly string _application;
    private readonly TimeSpan? _window;
    private readonly bool _copy;
    private readonly ApplicationCache _cache;

    private TenantCacheContender(StoreKind store, Func<ICacheStore> newStore, string name, string application, TimeSpan? window, bool copy = false)
    {
        _store = store;
        _newStore = newStore;
        Name = name;
        _application = application;
        _window = window;
        _copy = copy;
        _cache = new ApplicationCache(
            newStore(),
            new TenantCacheOptions { Application = application, DefaultExpiration = Ttl, TokenReuseWindow = window, LocalCopy = new LocalCopyOptions { Enabled = copy } });
    }

    /// <summary>The store a contender runs over, named in its description.</summary>
    private enum StoreKind
    {
        Memcached,
        Redis,
    }

    /// <summary>The default contender (Δ = the store's default).</summary>
    public static TenantCacheContender Default(MemcachedClient client) => new(StoreKind.Memcached, () => new MemcachedCacheStore(client), ContenderName, "bench.tc", null);

    /// <summary>The contender without token reuse (Δ = 0).</summary>
    public static TenantCacheContender NoReuse(MemcachedClient client) => new(StoreKind.Memcached, () => new MemcachedCacheStore(client), NoReuseName, "bench.tc-d0", TimeSpan.Zero);

    /// <summary>The default window with the in-process value copy: a hit whose entry did not change reads its CAS only.</summary>
    public static TenantCacheContender Copy(MemcachedClient client) => new(StoreKind.Memcached, () => new MemcachedCacheStore(client), CopyName, "bench.tc-copy", null, copy: true);

    /// <summary>The default contender over Redis (<see cref="RedisCacheStore"/> on the run's shared connection).</summary>
    public static TenantCacheContender Default(IConnectionMultiplexer redis) => new(StoreKind.Redis, () => new RedisCacheStore(redis), ContenderName, "bench.tc", null);

    /// <summary>The contender without token reuse (Δ = 0) over Redis.</summary>
    public static TenantCacheContender NoReuse(IConnectionMultiplexer redis) => new(StoreKind.Redis, () => new RedisCacheStore(redis), NoReuseName, "bench.tc-d0", TimeSpan.Zero);

    public override string Name { get; }

    public override string Description
    {
        get
        {
            var (store, set) = _store == StoreKind.Redis ? ("RedisCacheStore", "SET") : ("MemcachedCacheStore", "ms");
            var prefix = $"ApplicationCache({_application}) → Tenant(t) over {store}";
            if (_copy)
            {
                return $"{prefix}, default window, LocalCopy.Enabled: a hit on an unchanged entry sends the data key without its value (mg … c f) and serves the in-process copy";
            }

            return _window == TimeSpan.Zero
                ? $"{prefix}, TokenReuseWindow = 0: every read is one pipelined batch (app token, tenant token, data); clear = one {set} of a fresh token"
                : $"{prefix}, default options (TokenReuseWindow Δ = {TenantCacheOptions.DefaultTokenReuseWindow.TotalMilliseconds:F0} ms): a read whose tokens are fresher than Δ sends the data key only, else the 3-key batch; writes one round trip; clear = one {set} of a fresh token, returning after Δ";
        }
    }

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await _cache.Tenant(tenant).GetAsync<string>(key)).HasValue;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.Tenant(tenant).SetAsync(key, value, EntryOptions);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.Tenant(tenant).InvalidateAsync();

    public override Contender CreateSecondInstance() => new TenantCacheContender(_store, _newStore, Name, _application, _window, _copy);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
