namespace TenantCache.Hybrid;

/// <summary>Which scope a TenantCache-backed <c>HybridCache</c> reads and writes.</summary>
public enum HybridCacheScope
{
    /// <summary>
    /// The application scope (<see cref="ITenantCache"/>): data shared by every tenant. Tags are the
    /// application's tags, and <c>RemoveByTagAsync("*")</c> invalidates the whole application.
    /// </summary>
    Application = 0,

    /// <summary>
    /// The current tenant's scope (<see cref="Tenancy.ICurrentTenantCache"/>), resolved on every call;
    /// a call without a current tenant throws <see cref="Tenancy.MissingTenantException"/>. Tags are
    /// private to the tenant, and <c>RemoveByTagAsync("*")</c> invalidates only that tenant.
    /// </summary>
    CurrentTenant = 1,
}
