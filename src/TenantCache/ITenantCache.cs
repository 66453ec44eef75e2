namespace TenantCache;

/// <summary>
/// One application's cache: the application scope itself, the way to its tenants, and its tags.
/// </summary>
public interface ITenantCache : ICacheScope
{
    /// <summary>The scope of one tenant of the application (the same as <see cref="ICacheScope.Scope"/>).</summary>
    /// <exception cref="ArgumentException">The tenant id is null, empty or whitespace.</exception>
    ICacheScope Tenant(string tenantId);

    /// <summary>
    /// Invalidates a tag: every entry of this application that carries it becomes a miss, whatever its
    /// scope. In O(1).
    /// </summary>
    /// <exception cref="CacheInvalidationException">The invalidation could not be recorded.</exception>
    ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default);
}
