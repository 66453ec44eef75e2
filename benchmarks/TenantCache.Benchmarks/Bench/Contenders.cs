using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.Memcached;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// One way of caching per-tenant data that the bench measures. Every contender runs over the same
/// memcached server through the same <see cref="MemcachedClient"/> (directly, through
/// <see cref="MemcachedCacheStore"/>, or through <see cref="BenchDistributedCache"/>).
/// </summary>
internal abstract class Contender : IAsyncDisposable
{
    /// <summary>Entry lifetime used by every contender.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    /// <summary>Short name used in tables and JSON.</summary>
    public abstract string Name { get; }

    /// <summary>How it is configured, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>Whether a tenant clear is a real operation (raw has none).</summary>
    public virtual bool HasTenantClear => true;

    /// <summary>Reads one entry; true on a hit.</summary>
    public abstract ValueTask<bool> ReadAsync(string tenant, string key);

    /// <summary>Writes one entry.</summary>
    public abstract ValueTask WriteAsync(string tenant, string key, string value);

    /// <summary>Invalidates every entry of one tenant.</summary>
    public abstract ValueTask ClearTenantAsync(string tenant);

    /// <summary>A second, independent instance over the same server (another app instance), for the cross-instance check.</summary>
    public abstract Contender CreateSecondInstance();

    public abstract ValueTask DisposeAsync();
}

/// <summary>The floor: one <c>mg</c> per read, one <c>ms</c> per write; no tenant logic.</summary>
internal sealed class RawContender(MemcachedClient client) : Contender
{
    public const string ContenderName = "raw";

    public override string Name => ContenderName;

    public override string Description => "one mg per read / one ms per write through MemcachedClient; no tenant logic (its 'clear' in the mixed scenario is one ms, the floor of any O(1) clear)";

    public override bool HasTenantClear => false;

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await client.GetAsync($"bench.raw:{tenant}/{key}")).Found;

    public override async ValueTask WriteAsync(string tenant, string key, string value) =>
        await client.SetAsync($"bench.raw:{tenant}/{key}", Encoding.UTF8.GetBytes(value), Ttl);

    public override async ValueTask ClearTenantAsync(string tenant) =>
        await client.SetAsync($"bench.raw:ns:{tenant}", "1"u8.ToArray(), Ttl);

    public override Contender CreateSecondInstance() => new RawContender(client);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The classic namespace recipe: read the tenant's namespace value (create it with add when it is
/// missing), write it back to refresh its TTL (touch), then read <c>tenant:{ns}/key</c>; a clear
/// increments the namespace value. Three round trips per read.
/// </summary>
internal sealed class NaiveContender(MemcachedClient client, string prefix = "bench.naive") : Contender
{
    public const string ContenderName = "naive";

    public override string Name => ContenderName;

    public override string Description => "namespace recipe: mg ns (ms ME on a miss), touch ns, mg tenant:{ns}/key (3 round trips); clear = incr ns";

    public override async ValueTask<bool> ReadAsync(string tenant, string key)
    {
        var ns = await NamespaceAsync(tenant);
        return (await client.GetAsync($"{prefix}:{tenant}:{ns}/{key}")).Found;
    }

    public override async ValueTask WriteAsync(string tenant, string key, string value)
    {
        var ns = await NamespaceAsync(tenant);
        await client.SetAsync($"{prefix}:{tenant}:{ns}/{key}", Encoding.UTF8.GetBytes(value), Ttl);
    }

    public override async ValueTask ClearTenantAsync(string tenant) =>
        await client.IncrementAsync($"{prefix}:ns:{tenant}", 1);

    public override Contender CreateSecondInstance() => new NaiveContender(client, prefix);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask<string> NamespaceAsync(string tenant)
    {
        var nsKey = $"{prefix}:ns:{tenant}";
        var item = await client.GetAsync(nsKey);
        if (!item.Found)
        {
            var initial = Random.Shared.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            await client.AddAsync(nsKey, Encoding.ASCII.GetBytes(initial), Ttl);
            item = await client.GetAsync(nsKey);
            if (!item.Found)
            {
                return initial;
            }
        }

        // Write it back so that a namespace in use never expires before its entries.
        await client.TouchAsync(nsKey, Ttl);
        return Encoding.ASCII.GetString(item.Value.Span).TrimEnd();
    }
}

/// <summary>TenantCache: an application and its tenant scopes over <see cref="MemcachedCacheStore"/>, strict reads.</summary>
internal sealed class TenantCacheContender : Contender
{
    public const string ContenderName = "tenantcache";
    private static readonly CacheEntryOptions EntryOptions = CacheEntryOptions.Expires(Ttl);
    private readonly MemcachedClient _client;
    private readonly string _application;
    private readonly ApplicationCache _cache;

    public TenantCacheContender(MemcachedClient client, string application = "bench.tc")
    {
        _client = client;
        _application = application;
        _cache = new ApplicationCache(new MemcachedCacheStore(client), new TenantCacheOptions { Application = application, DefaultExpiration = Ttl });
    }

    public override string Name => ContenderName;

    public override string Description => "ApplicationCache(app) → Tenant(t) over MemcachedCacheStore; read = one pipelined batch (app token, tenant token, data); clear = one ms of a fresh token";

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await _cache.Tenant(tenant).GetAsync<string>(key)).HasValue;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.Tenant(tenant).SetAsync(key, value, EntryOptions);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.Tenant(tenant).InvalidateAsync();

    public override Contender CreateSecondInstance() => new TenantCacheContender(_client, _application);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// FusionCache 2.9 over <see cref="BenchDistributedCache"/>: the application is a named cache
/// with its own key prefix, the tenant is a tag, a clear is <c>RemoveByTagAsync</c>.
/// </summary>
internal sealed class FusionCacheContender : Contender
{
    private readonly IDistributedCache _distributed;
    private readonly bool _distributedOnly;
    private readonly FusionCache _cache;

    public FusionCacheContender(IDistributedCache distributed, bool distributedOnly)
    {
        _distributed = distributed;
        _distributedOnly = distributedOnly;
        var name = distributedOnly ? "bench.fc-dist" : "bench.fc-hybrid";
        var options = new FusionCacheOptions
        {
            CacheName = name,
            CacheKeyPrefix = name + ":",
            DefaultEntryOptions = new FusionCacheEntryOptions { Duration = Ttl },
            TagsDefaultEntryOptions = new FusionCacheEntryOptions { Duration = Ttl },
        };
        if (distributedOnly)
        {
            // Without a backplane, only a cache that skips the memory level (for entries and for
            // the tags' expirations) sees another instance's clear.
            options.DefaultEntryOptions.SkipMemoryCacheRead = true;
            options.DefaultEntryOptions.SkipMemoryCacheWrite = true;
            options.TagsDefaultEntryOptions.SkipMemoryCacheRead = true;
            options.TagsDefaultEntryOptions.SkipMemoryCacheWrite = true;
        }

        _cache = new FusionCache(options);
        _cache.SetupDistributedCache(distributed, new FusionCacheSystemTextJsonSerializer());
    }

    public override string Name => _distributedOnly ? "fusion-dist" : "fusion-hybrid";

    public override string Description => _distributedOnly
        ? "FusionCache 2.9, named cache + prefix, tenant = tag, memory level skipped (entries and tag expirations), STJ serializer, over BenchDistributedCache"
        : "FusionCache 2.9, named cache + prefix, tenant = tag, default memory + distributed levels, no backplane, over BenchDistributedCache";

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await _cache.TryGetAsync<string>($"{tenant}/{key}")).HasValue;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.SetAsync($"{tenant}/{key}", value, tags: ["tenant:" + tenant]);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.RemoveByTagAsync("tenant:" + tenant);

    public override Contender CreateSecondInstance() => new FusionCacheContender(_distributed, _distributedOnly);

    public override ValueTask DisposeAsync()
    {
        _cache.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Microsoft's HybridCache over <see cref="BenchDistributedCache"/>: keys carry an application
/// prefix, the tenant is a tag, a clear is <c>RemoveByTagAsync</c>. Reads are
/// <c>GetOrCreateAsync</c> with <see cref="HybridCacheEntryFlags.DisableUnderlyingData"/> (a pure get).
/// </summary>
internal sealed class HybridCacheContender : Contender
{
    private readonly IDistributedCache _distributed;
    private readonly bool _localDisabled;
    private readonly ServiceProvider _services;
    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _readOptions;
    private readonly HybridCacheEntryOptions _writeOptions;
    private readonly string _prefix;

    public HybridCacheContender(IDistributedCache distributed, bool localDisabled)
    {
        _distributed = distributed;
        _localDisabled = localDisabled;
        _prefix = localDisabled ? "bench.hc-dist:" : "bench.hc-hybrid:";
        var flags = localDisabled ? HybridCacheEntryFlags.DisableLocalCache : HybridCacheEntryFlags.None;
        _writeOptions = new HybridCacheEntryOptions { Expiration = Ttl, LocalCacheExpiration = Ttl, Flags = flags };
        _readOptions = new HybridCacheEntryOptions { Expiration = Ttl, LocalCacheExpiration = Ttl, Flags = flags | HybridCacheEntryFlags.DisableUnderlyingData };
        var services = new ServiceCollection();
        services.AddSingleton(distributed);
        services.AddHybridCache(o => o.DefaultEntryOptions = _writeOptions);
        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<HybridCache>();
    }

    public override string Name => _localDisabled ? "hybrid-dist" : "hybrid-default";

    public override string Description => _localDisabled
        ? "HybridCache 10.11, app prefix in keys, tenant = tag, HybridCacheEntryFlags.DisableLocalCache, over BenchDistributedCache"
        : "HybridCache 10.11, app prefix in keys, tenant = tag, default local + distributed, no backplane, over BenchDistributedCache";

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        await _cache.GetOrCreateAsync<string?>(_prefix + tenant + "/" + key, static _ => ValueTask.FromResult<string?>(null), _readOptions) is not null;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.SetAsync(_prefix + tenant + "/" + key, value, _writeOptions, [_prefix + "tenant:" + tenant]);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.RemoveByTagAsync(_prefix + "tenant:" + tenant);

    public override Contender CreateSecondInstance() => new HybridCacheContender(_distributed, _localDisabled);

    public override ValueTask DisposeAsync() => _services.DisposeAsync();
}
