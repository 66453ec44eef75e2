using TenantCache.Stores;

namespace TenantCache.Internal;

/// <summary>The argument checks and key derivation shared by the application and its scopes.</summary>
internal static class ScopeOperations
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
        var outcome = await engine.ReadAsync<T>(path, canonical, KeyEncoder.Bound(canonical), levelTokens: null, cancellationToken).ConfigureAwait(false);
        return outcome.Result;
    }

    public static async ValueTask SetAsync<T>(CacheEngine engine, ScopePath path, string key, T value, CacheEntryOptions? options, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        var plan = engine.Plan(path, options);
        var canonical = path.CanonicalDataKey(key);
        await engine.WriteAsync(path, canonical, KeyEncoder.Bound(canonical), value, plan, tokens: null, StoreSetMode.Set, throwIfTooLarge: true, cancellationToken).ConfigureAwait(false);
    }

    public static ValueTask RemoveAsync(CacheEngine engine, ScopePath path, string key, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        return engine.RemoveAsync(KeyEncoder.Bound(path.CanonicalDataKey(key)), cancellationToken);
    }

    public static ValueTask<T> GetOrCreateAsync<T>(
        CacheEngine engine, ScopePath path, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken)
    {
        Guard.Key(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        return engine.GetOrCreateAsync(path, key, factory, options, cancellationToken);
    }
}
