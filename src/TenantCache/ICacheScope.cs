namespace TenantCache;

/// <summary>
/// A place where entries live: an application, a tenant of it, or a deeper scope under a tenant.
/// Invalidating a scope makes every entry in it and in every scope below it a miss, in O(1).
/// </summary>
/// <remarks>
/// Reads and writes never throw because of the store (they become misses and skipped writes, logged
/// and counted) unless <see cref="TenantCacheOptions.ThrowOnStoreErrors"/> is set. Invalidations and
/// removals throw <see cref="CacheInvalidationException"/> when they could not be recorded.
/// </remarks>
public interface ICacheScope
{
    /// <summary>The application this scope belongs to.</summary>
    string Application { get; }

    /// <summary>The names below the application: empty for the application itself, then tenant, then deeper scopes.</summary>
    IReadOnlyList<string> Path { get; }

    /// <summary>A scope one level below this one. Names may hold any characters but must not be empty or whitespace.</summary>
    /// <exception cref="ArgumentException">The name is null, empty or whitespace, or the scope would be deeper than <see cref="TenantCacheOptions.MaxScopeDepth"/>.</exception>
    ICacheScope Scope(string name);

    /// <summary>Reads an entry. One store round trip (two when the entry carries tags).</summary>
    ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes an entry, valid until this scope, an enclosing scope or one of its tags is invalidated, or it expires.</summary>
    /// <exception cref="CacheValueTooLargeException">The value is larger than the configured maximum; nothing was sent.</exception>
    ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes one entry.</summary>
    /// <exception cref="CacheInvalidationException">The removal could not be recorded.</exception>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads an entry, or computes it with <paramref name="factory"/> and stores it. Concurrent callers
    /// in this process that see the same versions share one factory call. A value computed while the
    /// scope was invalidated is returned to its callers but never served afterwards.
    /// </summary>
    ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Invalidates this scope and every scope below it, in O(1).</summary>
    /// <exception cref="CacheInvalidationException">The invalidation could not be recorded.</exception>
    ValueTask InvalidateAsync(CancellationToken cancellationToken = default);
}
