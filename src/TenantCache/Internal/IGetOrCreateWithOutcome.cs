namespace TenantCache.Internal;

/// <summary>
/// Implemented by the library's own scopes, which know exactly where a get-or-create value came from;
/// <see cref="CacheScopeExtensions.GetOrCreateWithOutcomeAsync{T}(ICacheScope, string, Func{CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>
/// dispatches to it. Internal so that <see cref="ICacheScope"/> stays small and other implementations keep compiling.
/// </summary>
internal interface IGetOrCreateWithOutcome
{
    ValueTask<GetOrCreateResult<T>> GetOrCreateWithOutcomeAsync<T>(
        string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken);
}
