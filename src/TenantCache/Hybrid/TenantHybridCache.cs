using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using TenantCache.Internal;
using TenantCache.Tenancy;

namespace TenantCache.Hybrid;

/// <summary>
/// Microsoft's <see cref="HybridCache"/> over TenantCache: every call works on the application scope
/// or on the current tenant's (resolved per call, never falling back to the application). There is
/// no in-process tier: every read is one strict read of the store, so invalidations are seen by
/// every process at once. Thread-safe; registered as a singleton.
/// </summary>
internal sealed partial class TenantHybridCache : HybridCache
{
    private const string WildcardTag = "*";

    private readonly HybridTarget _application;
    private readonly ICurrentTenantCache? _tenant;
    private readonly HybridCacheEntryOptions? _defaults;
    private readonly HybridSerializers _serializers;
    private readonly ILogger _logger;

    /// <summary>
    /// Over <paramref name="application"/>, which must be TenantCache's own; tenant-scoped when
    /// <paramref name="tenant"/> (the current-tenant view) is given.
    /// </summary>
    public TenantHybridCache(ITenantCache application, ICurrentTenantCache? tenant, TenantHybridCacheOptions options, HybridSerializers serializers, ILogger logger)
    {
        if (application is not IEngineScope engine)
        {
            throw new InvalidOperationException(
                $"The TenantCache HybridCache needs the ITenantCache registered by AddTenantCache(...); the registered one is a {application.GetType().Name}.");
        }

        options.Validate();
        _application = new HybridTarget(engine, scopedTags: false);
        _tenant = tenant;
        _defaults = options.DefaultEntryOptions;
        _serializers = serializers;
        _logger = logger;
    }

    /// <summary>The scope this cache works on.</summary>
    public HybridCacheScope Scope => _tenant is null ? HybridCacheScope.Application : HybridCacheScope.CurrentTenant;

    /// <inheritdoc />
    /// <exception cref="CacheInvalidationException">The removal could not be recorded.</exception>
    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        Guard.Key(key, nameof(key));
        return Resolve().RemoveAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys is null)
        {
            return;
        }

        var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var key in distinct)
        {
            Guard.Key(key, nameof(keys));
        }

        if (distinct.Length == 0)
        {
            return;
        }

        var target = Resolve();
        await Task.WhenAll(distinct.Select(key => target.RemoveAsync(key, cancellationToken).AsTask())).ConfigureAwait(false);
    }

    /// <summary>
    /// Invalidates a tag in O(1): the application's tag, or the current tenant's own. <c>*</c>
    /// invalidates the whole scope: the application, or the current tenant only. A null, empty or
    /// whitespace tag does nothing, as in Microsoft's HybridCache.
    /// </summary>
    /// <exception cref="CacheInvalidationException">The invalidation could not be recorded.</exception>
    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return default; // before the tenant is resolved: no tag is a no-op even without one
        }

        var target = Resolve();
        return tag == WildcardTag ? target.InvalidateScopeAsync(cancellationToken) : target.InvalidateTagAsync(tag, cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask RemoveByTagAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        if (tags is null)
        {
            return;
        }

        var distinct = tags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return;
        }

        var target = Resolve();
        if (distinct.Contains(WildcardTag))
        {
            // Every entry the other tags could reach lives in the scope: one invalidation covers them all.
            await target.InvalidateScopeAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(distinct.Select(tag => target.InvalidateTagAsync(tag, cancellationToken).AsTask())).ConfigureAwait(false);
    }

    /// <summary>The scope of this call.</summary>
    /// <exception cref="MissingTenantException">Tenant-scoped, and there is no current tenant.</exception>
    private HybridTarget Resolve()
    {
        if (_tenant is null)
        {
            return _application;
        }

        return EngineScope.Of(_tenant) is { } scope
            ? new HybridTarget(scope, scopedTags: true)
            : throw new InvalidOperationException("The current tenant's scope is not one of TenantCache's own; the TenantCache HybridCache cannot use it.");
    }
}
