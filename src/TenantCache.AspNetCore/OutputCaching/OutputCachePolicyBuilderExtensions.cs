using Microsoft.AspNetCore.OutputCaching;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.AspNetCore.OutputCaching;

/// <summary>Per-tenant output caching for ASP.NET Core's policy builder.</summary>
public static class OutputCachePolicyBuilderExtensions
{
    /// <summary>
    /// Caches the response per tenant, in the tenant's TenantCache scope, so that
    /// <c>EvictByTagAsync("tenant:{id}")</c> evicts all of it in O(1). The tenant comes from the
    /// registered accessor (<c>WithHttpTenant(...)</c>); a request without one is not cached at all.
    /// </summary>
    /// <example><c>app.MapGet("/{tenant}/info", ...).CacheOutput(p =&gt; p.VaryByTenant().Expire(TimeSpan.FromMinutes(5)));</c></example>
    public static OutputCachePolicyBuilder VaryByTenant(this OutputCachePolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPolicy<TenantVaryPolicy>();
    }
}
