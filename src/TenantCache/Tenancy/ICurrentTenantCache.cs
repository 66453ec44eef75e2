namespace TenantCache.Tenancy;

/// <summary>
/// The scope of the current tenant, resolved through <see cref="ITenantContextAccessor"/> on every
/// call, so one singleton serves every request. Inject it where code works on behalf of a tenant.
/// </summary>
/// <remarks>
/// Every member throws <see cref="MissingTenantException"/> when the accessor has no tenant. For
/// data shared by all tenants use <see cref="ITenantCache"/> (the application scope) explicitly.
/// </remarks>
public interface ICurrentTenantCache : ICacheScope
{
    /// <summary>The current tenant's id.</summary>
    /// <exception cref="MissingTenantException">There is no current tenant.</exception>
    string TenantId { get; }

    /// <summary>The current tenant's scope, fixed: later calls on it no longer consult the accessor.</summary>
    /// <exception cref="MissingTenantException">There is no current tenant.</exception>
    ICacheScope Resolve();

    /// <summary>The current tenant's scope, or <see langword="null"/> when there is no current tenant.</summary>
    ICacheScope? TryResolve();
}
