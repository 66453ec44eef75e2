using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace TenantCache.Benchmarks.Bench;

/// <summary>Which levels a <see cref="FusionCacheContender"/> uses.</summary>
internal enum FusionLevels
{
    /// <summary>Memory level skipped (entries and tag expirations): sees another instance's clear without a backplane.</summary>
    Distributed,

    /// <summary>Default memory level over the distributed one, no backplane.</summary>
    Hybrid,

    /// <summary>Default memory level, the distributed level and FusionCache's Redis backplane: its multi-instance setup.</summary>
    Backplane,
}

/// <summary>
/// FusionCache 2.9 over an <see cref="IDistributedCache"/> (<see cref="BenchDistributedCache"/> on memcached,
/// <c>RedisCache</c> on Redis): the application is a named cache with its own key prefix, the tenant is a
/// tag, a clear is <c>RemoveByTagAsync</c>. With <see cref="FusionLevels.Backplane"/> every instance has its
/// own <see cref="RedisBackplane"/> (its own connection, as another process would).
/// </summary>
internal sealed class FusionCacheContender : Contender
{
    private readonly IDistributedCache _distributed;
    private readonly FusionLevels _levels;
    private readonly string _over;
    private readonly string? _backplane;
    private readonly FusionCache _cache;

    public FusionCacheContender(IDistributedCache distributed, bool distributedOnly)
        : this(distributed, distributedOnly ? FusionLevels.Distributed : FusionLevels.Hybrid, nameof(BenchDistributedCache))
    {
    }

    /// <param name="distributed">The distributed level.</param>
    /// <param name="levels">Which levels it uses.</param>
    /// <param name="over">The distributed level's name, for the description.</param>
    /// <param name="backplaneConfiguration">The Redis of the backplane (a StackExchange.Redis configuration string), with <see cref="FusionLevels.Backplane"/>.</param>
    public FusionCacheContender(IDistributedCache distributed, FusionLevels levels, string over, string? backplaneConfiguration = null)
    {
        _distributed = distributed;
        _levels = levels;
        _over = over;
        _backplane = backplaneConfiguration;
        var name = levels switch
        {
            FusionLevels.Distributed => "bench.fc-dist",
            FusionLevels.Hybrid => "bench.fc-hybrid",
            _ => "bench.fc-bp",
        };
        var options = new FusionCacheOptions
        {
            CacheName = name,
            CacheKeyPrefix = name + ":",
            DefaultEntryOptions = new FusionCacheEntryOptions { Duration = Ttl },
            TagsDefaultEntryOptions = new FusionCacheEntryOptions { Duration = Ttl },
            // A new instance subscribes before it is used: an application instance that has been
            // running for a while has long been subscribed, and the cross-instance check must not
            // measure a subscription still in progress.
            WaitForInitialBackplaneSubscribe = levels == FusionLevels.Backplane,
        };
        if (levels == FusionLevels.Distributed)
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
        if (levels == FusionLevels.Backplane)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(backplaneConfiguration);
            _cache.SetupBackplane(new RedisBackplane(Options.Create(new RedisBackplaneOptions { Configuration = backplaneConfiguration })));
        }
    }

    public override string Name => _levels switch
    {
        FusionLevels.Distributed => "fusion-dist",
        FusionLevels.Hybrid => "fusion-hybrid",
        _ => "fusion-backplane",
    };

    public override string Description => _levels switch
    {
        FusionLevels.Distributed => $"FusionCache 2.9, named cache + prefix, tenant = tag, memory level skipped (entries and tag expirations), STJ serializer, over {_over}",
        FusionLevels.Hybrid => $"FusionCache 2.9, named cache + prefix, tenant = tag, default memory + distributed levels, no backplane, over {_over}",
        _ => $"FusionCache 2.9, named cache + prefix, tenant = tag, default memory + distributed levels over {_over}, RedisBackplane (a connection per instance, WaitForInitialBackplaneSubscribe), STJ serializer",
    };

    /// <summary>A backplane message takes a moment to reach the other instance (and is sent in the background by default).</summary>
    public override TimeSpan PropagationWait => _levels == FusionLevels.Backplane ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        (await _cache.TryGetAsync<string>($"{tenant}/{key}")).HasValue;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.SetAsync($"{tenant}/{key}", value, tags: ["tenant:" + tenant]);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.RemoveByTagAsync("tenant:" + tenant);

    /// <summary><c>GetOrSetAsync</c> of the entry <see cref="ReadAsync"/> reads, tagged as <see cref="WriteAsync"/> tags it (herd).</summary>
    public ValueTask<string> GetOrCreateAsync(string tenant, string key, Func<CancellationToken, ValueTask<string>> factory) =>
        _cache.GetOrSetAsync<string>($"{tenant}/{key}", ct => factory(ct).AsTask(), tags: ["tenant:" + tenant]);

    public override Contender CreateSecondInstance() => new FusionCacheContender(_distributed, _levels, _over, _backplane);

    public override ValueTask DisposeAsync()
    {
        _cache.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Microsoft's HybridCache over an <see cref="IDistributedCache"/> (<see cref="BenchDistributedCache"/>, or
/// <c>RedisCache</c> on Redis): keys carry an application
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
    private readonly string _over;

    public HybridCacheContender(IDistributedCache distributed, bool localDisabled, string over = nameof(BenchDistributedCache))
    {
        _distributed = distributed;
        _localDisabled = localDisabled;
        _over = over;
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
        ? $"HybridCache 10.11, app prefix in keys, tenant = tag, HybridCacheEntryFlags.DisableLocalCache, over {_over}"
        : $"HybridCache 10.11, app prefix in keys, tenant = tag, default local + distributed, no backplane, over {_over}";

    public override async ValueTask<bool> ReadAsync(string tenant, string key) =>
        await _cache.GetOrCreateAsync<string?>(_prefix + tenant + "/" + key, static _ => ValueTask.FromResult<string?>(null), _readOptions) is not null;

    public override ValueTask WriteAsync(string tenant, string key, string value) =>
        _cache.SetAsync(_prefix + tenant + "/" + key, value, _writeOptions, [_prefix + "tenant:" + tenant]);

    public override ValueTask ClearTenantAsync(string tenant) => _cache.RemoveByTagAsync(_prefix + "tenant:" + tenant);

    /// <summary><c>GetOrCreateAsync</c> with the write options and tag of <see cref="WriteAsync"/> (herd).</summary>
    public ValueTask<string> GetOrCreateAsync(string tenant, string key, Func<CancellationToken, ValueTask<string>> factory) =>
        _cache.GetOrCreateAsync(_prefix + tenant + "/" + key, factory, _writeOptions, [_prefix + "tenant:" + tenant]);

    public override Contender CreateSecondInstance() => new HybridCacheContender(_distributed, _localDisabled, _over);

    public override ValueTask DisposeAsync() => _services.DisposeAsync();
}
