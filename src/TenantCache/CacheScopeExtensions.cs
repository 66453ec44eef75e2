using TenantCache.Internal;

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

    /// <summary>
    /// Like <see cref="ICacheScope.GetOrCreateAsync{T}"/>, and also tells where the value came from:
    /// read from the cache, computed by this call, or joined from another caller's computation in this
    /// process. Exact: the engine reports the path it took (for example for <c>X-Cache: HIT|MISS</c>).
    /// </summary>
    /// <remarks>
    /// For an <see cref="ICacheScope"/> implemented outside TenantCache (a test double), the outcome is
    /// <see cref="GetOrCreateOutcome.Computed"/> when <paramref name="factory"/> ran during this call and
    /// <see cref="GetOrCreateOutcome.Hit"/> otherwise; such a scope cannot report <see cref="GetOrCreateOutcome.Joined"/>.
    /// </remarks>
    public static ValueTask<GetOrCreateResult<T>> GetOrCreateWithOutcomeAsync<T>(
        this ICacheScope scope, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(factory);
        return EngineScope.Of(scope) is { } own
            ? ScopeOperations.GetOrCreateWithOutcomeAsync(own.Engine, own.ScopePath, key, factory, options, cancellationToken)
            : ObserveFactoryAsync(scope, key, factory, options, cancellationToken);
    }

    private static async ValueTask<GetOrCreateResult<T>> ObserveFactoryAsync<T>(
        ICacheScope scope, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken)
    {
        var ran = false;
        var value = await scope.GetOrCreateAsync(
            key,
            ct =>
            {
                ran = true;
                return factory(ct);
            },
            options,
            cancellationToken).ConfigureAwait(false);
        return new GetOrCreateResult<T>(value, ran ? GetOrCreateOutcome.Computed : GetOrCreateOutcome.Hit);
    }
}
