using System.Runtime.CompilerServices;
using TenantCache.Stores;

namespace TenantCache.Internal;

/// <summary>
/// The argument checks and key derivation shared by the application and its scopes: every public
/// call goes through here once, and is traced here (see <c>ScopeOperations.Traced.cs</c>).
/// </summary>
internal static partial class ScopeOperations
{
    public static ICacheScope Child(CacheEngine engine, ScopePath path, string name, string parameterName)
    {
        Guard.Name(name, parameterName);
        if (path.Names.Length >= engine.Options.MaxScopeDepth)
        {
            throw new ArgumentException(
                $"Scopes may be at most {engine.Options.MaxScopeDepth} levels deep below the application (TenantCacheOptions.MaxScopeDepth).",
                parameterName);
        }

        return new CacheScope(engine, path.Child(name));
    }

    public static async ValueTask<CacheResult<T>> GetAsync<T>(CacheEngine engine, ScopePath path, string key, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        var canonical = path.CanonicalDataKey(key);
        using var activity = CacheActivities.Start(CacheActivities.Get, engine, path);
        try
        {
            var outcome = await engine.ReadAsync<T>(path, canonical, KeyEncoder.Bound(canonical), levelTokens: null, cancellationToken).ConfigureAwait(false);
            CacheActivities.Hit(activity, outcome.Result.HasValue);
            return outcome.Result;
        }
        catch (Exception ex) when (CacheActivities.Failed(activity, ex))
        {
            throw; // never reached: the filter only records
        }
    }

    /// <summary>
    /// A get for a caller that may compute and set the key next (the IDistributedCache adapter): a
    /// miss's tokens are remembered for that set (<see cref="SetAfterMissAsync"/>), so an invalidation
    /// that lands in between still wins (I1).
    /// </summary>
    public static async ValueTask<CacheResult<T>> GetRememberingMissAsync<T>(CacheEngine engine, ScopePath path, string key, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        var canonical = path.CanonicalDataKey(key);
        using var activity = CacheActivities.Start(CacheActivities.Get, engine, path);
        try
        {
            var result = await engine.ReadRememberingMissAsync<T>(path, canonical, KeyEncoder.Bound(canonical), cancellationToken).ConfigureAwait(false);
            CacheActivities.Hit(activity, result.HasValue);
            return result;
        }
        catch (Exception ex) when (CacheActivities.Failed(activity, ex))
        {
            throw;
        }
    }

    public static ValueTask SetAsync<T>(CacheEngine engine, ScopePath path, string key, T value, CacheEntryOptions? options, CancellationToken cancellationToken) =>
        SetAsync(engine, path, key, value, options, afterMiss: false, cancellationToken);

    /// <summary>A set stamped with the tokens a recent <see cref="GetRememberingMissAsync"/> miss of the key read, if any.</summary>
    public static ValueTask SetAfterMissAsync<T>(CacheEngine engine, ScopePath path, string key, T value, CacheEntryOptions? options, CancellationToken cancellationToken) =>
        SetAsync(engine, path, key, value, options, afterMiss: true, cancellationToken);

    private static async ValueTask SetAsync<T>(CacheEngine engine, ScopePath path, string key, T value, CacheEntryOptions? options, bool afterMiss, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        var plan = engine.Plan(path, options);
        var canonical = path.CanonicalDataKey(key);
        var storeKey = KeyEncoder.Bound(canonical);
        var tokens = afterMiss ? engine.RecalledTokens(storeKey, plan) : null;
        using var activity = CacheActivities.Start(CacheActivities.Set, engine, path);
        try
        {
            await engine.WriteAsync(path, canonical, storeKey, value, plan, tokens, StoreSetMode.Set, throwIfTooLarge: true, encoded: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CacheActivities.Failed(activity, ex))
        {
            throw;
        }
    }

    public static ValueTask RemoveAsync(CacheEngine engine, ScopePath path, string key, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        var storeKey = KeyEncoder.Bound(path.CanonicalDataKey(key));
        return CacheActivities.Enabled
            ? TracedAsync(CacheActivities.Remove, engine, path, storeKey, static (e, k, ct) => e.RemoveAsync(k, ct), cancellationToken)
            : engine.RemoveAsync(storeKey, cancellationToken);
    }

    /// <summary>Invalidates the scope whose version key (or tag's) is <paramref name="versionKey"/>.</summary>
    public static ValueTask InvalidateAsync(CacheEngine engine, ScopePath path, string versionKey, bool tag, CancellationToken cancellationToken) =>
        CacheActivities.Enabled
            ? TracedAsync(tag ? CacheActivities.InvalidateTag : CacheActivities.Invalidate, engine, path, versionKey, static (e, k, ct) => e.InvalidateKeyAsync(k, ct), cancellationToken)
            : engine.InvalidateKeyAsync(versionKey, cancellationToken);

    public static ValueTask<T> GetOrCreateAsync<T>(
        CacheEngine engine, ScopePath path, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        return CacheActivities.Enabled
            ? TracedGetOrCreateAsync(engine, path, key, factory, options, new StrongBox<GetOrCreateOutcome>(), cancellationToken)
            : engine.GetOrCreateAsync(path, key, factory, options, outcome: null, cancellationToken);
    }

    /// <summary>Get-or-create that also reports where the value came from; only its callers pay for the report.</summary>
    public static async ValueTask<GetOrCreateResult<T>> GetOrCreateWithOutcomeAsync<T>(
        CacheEngine engine, ScopePath path, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        var outcome = new StrongBox<GetOrCreateOutcome>();
        var value = CacheActivities.Enabled
            ? await TracedGetOrCreateAsync(engine, path, key, factory, options, outcome, cancellationToken).ConfigureAwait(false)
            : await engine.GetOrCreateAsync(path, key, factory, options, outcome, cancellationToken).ConfigureAwait(false);
        return new GetOrCreateResult<T>(value, outcome.Value);
    }
}
