using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TenantCache.Tenancy;

namespace TenantCache.Distributed;

/// <summary>
/// The <see cref="IDistributedCache"/> TenantCache offers (also an <see cref="IBufferDistributedCache"/>):
/// one key space per application, or per tenant, over the engine and its store.
/// </summary>
/// <example>
/// <code>
/// services.AddTenantCache(o => o.Application = "shop")
///     .WithMemcached(o => o.Servers = "10.0.0.1:11211,10.0.0.2:11211")
///     .AsDistributedCache();                       // sessions, HybridCache's L2, ... of "shop" only
/// </code>
/// </example>
public static class TenantCacheDistributedCacheExtensions
{
    private const string DistributedComponent = "AsDistributedCache(DistributedCacheScope.CurrentTenant)";

    /// <summary>
    /// Registers <see cref="IDistributedCache"/> (a singleton, also an <see cref="IBufferDistributedCache"/>)
    /// over this application's cache, or over the current tenant's with
    /// <see cref="DistributedCacheScope.CurrentTenant"/> (which needs a tenant accessor:
    /// <c>WithTenantAccessor</c> or <c>WithAmbientTenant</c>, before or after this call; without one the
    /// host fails at start, and resolving the cache throws <see cref="InvalidOperationException"/> naming the fix).
    /// </summary>
    /// <remarks>
    /// Replaces every <see cref="IDistributedCache"/> registered before this call. Registrations made
    /// after it with <c>TryAdd</c> (<c>AddDistributedMemoryCache</c>) leave it in place; registrations
    /// that add unconditionally (<c>AddStackExchangeRedisCache</c>) win, so call this last.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scope"/> is not a defined value.</exception>
    public static TenantCacheBuilder AsDistributedCache(this TenantCacheBuilder builder, DistributedCacheScope scope = DistributedCacheScope.Application)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown distributed cache scope.");
        }

        builder.Services.RemoveAll<IDistributedCache>();
        builder.Services.AddSingleton<IDistributedCache>(sp => new ScopeDistributedCache(Resolve(sp, scope)));
        if (scope == DistributedCacheScope.CurrentTenant)
        {
            // Checked with TenantCacheOptions, which AddTenantCache validates at start.
            TenantAccessorRequirement.Register(builder.Services, DistributedComponent);
        }

        return builder;
    }

    /// <summary>
    /// An <see cref="IBufferDistributedCache"/> over <paramref name="scope"/>: an application
    /// (<see cref="ITenantCache"/>), a tenant (<c>cache.Tenant("acme")</c>), a deeper scope, or the
    /// current tenant (<see cref="ICurrentTenantCache"/>, resolved on every call).
    /// </summary>
    public static IBufferDistributedCache AsDistributedCache(this ICacheScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new ScopeDistributedCache(scope);
    }

    private static ICacheScope Resolve(IServiceProvider services, DistributedCacheScope scope) => scope switch
    {
        DistributedCacheScope.CurrentTenant => TenantAccessorRequirement.Resolve(services, DistributedComponent),
        _ => services.GetRequiredService<ITenantCache>(),
    };
}
