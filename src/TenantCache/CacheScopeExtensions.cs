namespace TenantCache;

/// <summary>Shorthands over <see cref="ICacheScope"/>.</summary>
public static class CacheScopeExtensions
{
    /// <summary>Writes an entry that lives for <paramref name="expiration"/>.</summary>
    public static ValueTask SetAsync<T>(this ICacheScope scope, string key, T value, TimeSpan expiration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (expiration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiration), expiration, "A time to live must be positive.");
        }

        return scope.SetAsync(key, value, CacheEntryOptions.Expires(expiration), cancellationToken);
    }

    /// <summary>Get-or-create with a factory that takes no cancellation token.</summary>
    public static ValueTask<T> GetOrCreateAsync<T>(this ICacheScope scope, string key, Func<ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(factory);
        return scope.GetOrCreateAsync(key, _ => factory(), options, cancellationToken);
    }
}
