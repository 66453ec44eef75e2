using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache;

/// <summary>
/// One application's cache over a store: the application scope, its tenants and its tags.
/// Several applications may share one store (and one memcached cluster); each is isolated and can
/// be cleared alone. Thread-safe; create one per application and keep it.
/// </summary>
/// <example>
/// <code>
/// var cache = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "weather" });
/// var lisboa = cache.Tenant("lisboa");
/// await lisboa.SetAsync("/info", "2 days");
/// await lisboa.InvalidateAsync();
/// </code>
/// </example>
public sealed class ApplicationCache : ITenantCache, IEngineScope
{
    private readonly CacheEngine _engine;

    /// <summary>Creates the cache of <see cref="TenantCacheOptions.Application"/> over <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ApplicationCache(ICacheStore store, TenantCacheOptions options, ILogger<ApplicationCache>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _engine = new CacheEngine(store, options, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The constructor dependency injection uses.</summary>
    public ApplicationCache(ICacheStore store, IOptions<TenantCacheOptions> options, ILogger<ApplicationCache> logger, TimeProvider timeProvider)
        : this(store, (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, timeProvider)
    {
    }

    /// <inheritdoc />
    public string Application => _engine.Application;

    CacheEngine IEngineScope.Engine => _engine;

    ScopePath IEngineScope.ScopePath => _engine.Root;

    /// <inheritdoc />
    public IReadOnlyList<string> Path => [];

    /// <inheritdoc />
    public ICacheScope Tenant(string tenantId) => ScopeOperations.Child(_engine, _engine.Root, tenantId, nameof(tenantId));

    /// <inheritdoc />
    public ICacheScope Scope(string name) => ScopeOperations.Child(_engine, _engine.Root, name, nameof(name));

    /// <inheritdoc />
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        ScopeOperations.GetAsync<T>(_engine, _engine.Root, key, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        ScopeOperations.SetAsync(_engine, _engine.Root, key, value, options, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        ScopeOperations.RemoveAsync(_engine, _engine.Root, key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        ScopeOperations.GetOrCreateAsync(_engine, _engine.Root, key, factory, options, cancellationToken);

    /// <summary>Invalidates the whole application: every tenant and scope of it, in O(1). Other applications are untouched.</summary>
    /// <exception cref="CacheInvalidationException">The invalidation could not be recorded.</exception>
    public ValueTask InvalidateAsync(CancellationToken cancellationToken = default) =>
        ScopeOperations.InvalidateAsync(_engine, _engine.Root, _engine.Root.VersionKeys[0], tag: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        Guard.Name(tag, nameof(tag));
        return ScopeOperations.InvalidateAsync(_engine, _engine.Root, _engine.Root.TagVersionKey(tag), tag: true, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => Application;
}
