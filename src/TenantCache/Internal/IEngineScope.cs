using TenantCache.Tenancy;

namespace TenantCache.Internal;

/// <summary>
/// A scope backed by this assembly's engine. Integrations (HybridCache, IDistributedCache, output
/// caching, the get-or-create outcome) use it to reach what the public <see cref="ICacheScope"/> does
/// not offer: scope-private tags, reads that keep their tokens, writes stamped with earlier tokens.
/// </summary>
internal interface IEngineScope
{
    CacheEngine Engine { get; }

    ScopePath ScopePath { get; }
}

/// <summary>Finds the engine scope behind a public one.</summary>
internal static class EngineScope
{
    /// <summary>
    /// The engine scope <paramref name="scope"/> stands for at this moment: itself, or for a
    /// current-tenant view the current tenant's scope (throws <see cref="MissingTenantException"/>
    /// without one); <see langword="null"/> for a scope implemented outside TenantCache.
    /// </summary>
    public static IEngineScope? Of(ICacheScope scope) =>
        (scope is ICurrentTenantCache current ? current.Resolve() : scope) as IEngineScope;
}
