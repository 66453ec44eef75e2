using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// TenantCache: an application and its tenant scopes over <see cref="MemcachedCacheStore"/>, strict
/// reads, with a given token reuse window (Δ). Each window has its own application, so the token
/// records one contender writes (they carry the writer's Δ) never limit the other's reuse.
/// </summary>
internal sealed class TenantCacheContender : Contender
{
    /// <summary>Default options: Δ = null, the store's default (500 ms on memcached).</summary>
    public const string ContenderName = "tenantcache";

    /// <summary><see cref="TenantCacheOptions.TokenReuseWindow"/> = <see cref="TimeSpan.Zero"/>: every token read on every read.</summary>
    public const string NoReuseName = "tenantcache-d0";

    /// <summary>Default window and the in-process value copy on (<see cref="TenantCacheOptions.LocalCopy"/>).</summary>
    public const string CopyName = "tenantcache-copy";

    private static readonly CacheEntryOptions EntryOptions = CacheEntryOptions.Expires(Ttl);
    private readonly MemcachedClient _client;
    private readonly string _application;
    private readonly TimeSpan? _window;
    private readonly bool _copy;
    private readonly ApplicationCache _cache;

    private TenantCacheContender(MemcachedClient client, string name, string application, TimeSpan? window, bool copy = false)
    {
        _client = client;
        Name = name;
        _application = application;
        _window = window;
        _copy = copy;
        _cache = new ApplicationCache(
            new MemcachedCacheStore(client),
            new TenantCacheOptions { Application = application, DefaultExpiration = Ttl, TokenReuseWindow = window, LocalCopy = new LocalCopyOptions { Enabled = copy } });
    }

    /// <summary>The default contender (Δ = the store's default).</summary>
    public static TenantCacheContender Default(MemcachedClient client) => new(client, ContenderName, "bench.tc", null);

    /// <summary>The contender without token reuse (Δ = 0).</summary>
    public static TenantCacheContender NoReuse(MemcachedClient client) => new(client, NoReuseName, "bench.tc-d0", TimeSpan.Zero);

    /// <summary>The default window with the in-process value copy: a hit whose entry did not change reads its CAS only.</summary>
    public static TenantCacheContender Copy(MemcachedClient client) => new(client, CopyName, "bench.tc-copy", null, copy: true);

    public override string Name { get; }

    public override string Description => _copy
        ? $"ApplicationCache({_application}) → Tenant(t) over MemcachedCacheStore, default window, LocalCopy.Enabled: a hit on an unchanged entry sends the data key without its value (mg … c f) and serves the in-process copy"
        : _window == TimeSpan.Zero
        ? $"ApplicationCache({_application}) → Tenant(t) over MemcachedCacheStore, TokenReuseWindow = 0: every read is one pipelined batch (app token, tenant token, data); clear = one ms of a fresh token"
        : $"ApplicationCache({_application}) → Tenant(t) over MemcachedCacheStore, default options (TokenReuseWindow Δ = {TenantCacheOptions.DefaultTokenReuseWindow.TotalMilliseconds:F0} ms): a read whose tokens are fresher than Δ sends the data key only, else the 3-key batch; writes one round trip; clear = one ms of a fresh token, returning after Δ";

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await _cache.Tenant(tenant).GetAsync<string>(key)).HasValue;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.Tenant(tenant).SetAsync(key, value, EntryOptions);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.Tenant(tenant).InvalidateAsync();

    public override Contender CreateSecondInstance() => new TenantCacheContender(_client, Name, _application, _window, _copy);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
