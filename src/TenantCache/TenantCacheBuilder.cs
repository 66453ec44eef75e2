using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TenantCache.Tenancy;

namespace TenantCache;

/// <summary>
/// Returned by <c>AddTenantCache</c>; store packages extend it (for example <c>.WithMemcached(...)</c>).
/// </summary>
public sealed class TenantCacheBuilder
{
    internal TenantCacheBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the cache is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Resolves the current tenant with <typeparamref name="TAccessor"/> (a singleton), and registers
    /// <see cref="ICurrentTenantCache"/>. Replaces an accessor registered before.
    /// </summary>
    public TenantCacheBuilder WithTenantAccessor<TAccessor>()
        where TAccessor : class, ITenantContextAccessor
    {
        Services.RemoveAll<ITenantContextAccessor>();
        Services.AddSingleton<ITenantContextAccessor, TAccessor>();
        AddCurrentTenantCache();
        return this;
    }

    /// <summary>
    /// Resolves the current tenant with <paramref name="resolve"/>, called on every cache call (for
    /// example <c>sp =&gt; () =&gt; sp.GetRequiredService&lt;IMultiTenantContextAccessor&gt;().MultiTenantContext?.TenantInfo?.Id</c>),
    /// and registers <see cref="ICurrentTenantCache"/>.
    /// </summary>
    public TenantCacheBuilder WithTenantAccessor(Func<IServiceProvider, Func<string?>> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        Services.RemoveAll<ITenantContextAccessor>();
        Services.AddSingleton<ITenantContextAccessor>(sp => new DelegateTenantContextAccessor(resolve(sp)));
        AddCurrentTenantCache();
        return this;
    }

    /// <summary>Resolves the current tenant from <see cref="AmbientTenant"/> (set with <c>AmbientTenant.Use(id)</c>).</summary>
    public TenantCacheBuilder WithAmbientTenant() => WithTenantAccessor<AmbientTenant>();

    private void AddCurrentTenantCache() =>
        Services.TryAddSingleton<ICurrentTenantCache>(static sp =>
            new CurrentTenantCache(sp.GetRequiredService<ITenantCache>(), sp.GetRequiredService<ITenantContextAccessor>()));
}
