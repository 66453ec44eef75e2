using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace TenantCache.Benchmarks.Bench;

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

    /// <summary><c>GetOrSetAsync</c> of the entry <see cref="ReadAsync"/> reads, tagged as <see cref="WriteAsync"/> tags it (herd).</summary>
    public ValueTask<string> GetOrCreateAsync(string tenant, string key, Func<CancellationToken, ValueTask<string>> factory) =>
        _cache.GetOrSetAsync<string>($"{tenant}/{key}", ct => factory(ct).AsTask(), tags: ["tenant:" + tenant]);

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

    /// <summary><c>GetOrCreateAsync</c> with the write options and tag of <see cref="WriteAsync"/> (herd).</summary>
    public ValueTask<string> GetOrCreateAsync(string tenant, string key, Func<CancellationToken, ValueTask<string>> factory) =>
        _cache.GetOrCreateAsync(_prefix + tenant + "/" + key, factory, _writeOptions, [_prefix + "tenant:" + tenant]);

    public override Contender CreateSecondInstance() => new HybridCacheContender(_distributed, _localDisabled);

    public override ValueTask DisposeAsync() => _services.DisposeAsync();
}
