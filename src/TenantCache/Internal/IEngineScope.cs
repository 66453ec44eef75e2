namespace TenantCache.Internal;

/// <summary>
/// A scope backed by this assembly's engine. Integrations in this assembly (the HybridCache adapter)
/// use it to reach what the public <see cref="ICacheScope"/> does not offer: scope-private tags, and
/// a computation stamped with the tokens read before it.
/// </summary>
internal interface IEngineScope
{
    CacheEngine Engine { get; }

    ScopePath ScopePath { get; }
}
