using Microsoft.Extensions.Logging;
using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache.Hybrid;

/// <summary>
/// The scope one HybridCache call works on, with its tag namespace: the application's tags, or tags
/// private to the scope (a tenant's), so that one tenant's tags never reach another's entries.
/// </summary>
internal readonly struct HybridTarget
{
    private readonly CacheEngine _engine;
    private readonly ScopePath _path;
    private readonly bool _scopedTags;

    public HybridTarget(IEngineScope scope, bool scopedTags)
    {
        _engine = scope.Engine;
        _path = scope.ScopePath;
        _scopedTags = scopedTags;
    }

    public string Application => _path.Application;

    /// <summary>The entry's plan; too many tags are reported against HybridCache's <c>tags</c> parameter.</summary>
    public EntryPlan Plan(CacheEntryOptions options) => _engine.Plan(_path, options, _scopedTags, tagsParameter: "tags");

    public async ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken)
    {
        var canonical = _path.CanonicalDataKey(key);
        var outcome = await _engine.ReadAsync<T>(_path, canonical, KeyEncoder.Bound(canonical), levelTokens: null, cancellationToken).ConfigureAwait(false);
        return outcome.Result;
    }

    /// <summary>Get-or-create; with <paramref name="copyForJoiners"/> callers that join another's computation get their own instance.</summary>
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, bool copyForJoiners, CancellationToken cancellationToken) =>
        _engine.GetOrCreateAsync(_path, key, factory, plan, copyForJoiners, cancellationToken);

    /// <summary>Computes without reading, and stores with the tokens taken before the factory ran.</summary>
    public ValueTask<T> CreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, CancellationToken cancellationToken) =>
        _engine.CreateAsync(_path, key, factory, plan, cancellationToken);

    /// <summary>
    /// Writes an entry. A value over the store's limit is not thrown (HybridCache's contract) but logged
    /// and counted, and the entry it was to replace is removed, so the old value is not served instead.
    /// A store that cannot remove it does not throw either (I5, fail open): that is logged (event 1103)
    /// and counted as a store error by the engine.
    /// </summary>
    public async ValueTask SetAsync<T>(string key, T value, EntryPlan plan, ILogger logger, CancellationToken cancellationToken)
    {
        var canonical = _path.CanonicalDataKey(key);
        var storeKey = KeyEncoder.Bound(canonical);
        try
        {
            await _engine.WriteAsync(_path, canonical, storeKey, value, plan, tokens: null, StoreSetMode.Set, throwIfTooLarge: true, encoded: null, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheValueTooLargeException ex)
        {
            CacheMetrics.SkippedWrite(Application);
            Log.ValueTooLargeRemoved(logger, ex.ActualBytes, ex.MaxBytes, Application);
            await RemoveReplacedAsync(storeKey, logger, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask RemoveReplacedAsync(string storeKey, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.RemoveAsync(storeKey, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheInvalidationException ex) when (!_engine.Options.ThrowOnStoreErrors)
        {
            Log.ReplacedEntryNotRemoved(logger, Application, ex); // the engine counted the store error
        }
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) =>
        _engine.RemoveAsync(KeyEncoder.Bound(_path.CanonicalDataKey(key)), cancellationToken);

    /// <summary>Invalidates the whole scope (the <c>*</c> tag), in O(1).</summary>
    public ValueTask InvalidateScopeAsync(CancellationToken cancellationToken) =>
        _engine.InvalidateKeyAsync(_path.VersionKeys[^1], cancellationToken);

    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken) =>
        _engine.InvalidateKeyAsync(_scopedTags ? _path.ScopedTagVersionKey(tag) : _path.TagVersionKey(tag), cancellationToken);
}
