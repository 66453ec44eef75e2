namespace TenantCache.Distributed;

/// <summary>Which scope the registered <c>IDistributedCache</c> reads and writes.</summary>
public enum DistributedCacheScope
{
    /// <summary>The application (<see cref="ITenantCache"/>): one key space per application, shared by its tenants.</summary>
    Application = 0,

    /// <summary>
    /// The current tenant (<see cref="Tenancy.ICurrentTenantCache"/>), resolved on every call; a call
    /// without a current tenant throws <see cref="Tenancy.MissingTenantException"/>, never falls back
    /// to the application.
    /// </summary>
    CurrentTenant = 1,
}
