using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TenantCache.Tenancy;

namespace TenantCache.Hybrid;

/// <summary>Registers TenantCache as Microsoft's <see cref="HybridCache"/>.</summary>
public static class TenantHybridCacheBuilderExtensions
{
    private const string HybridComponent = "A HybridCache scoped to the current tenant (HybridCacheScope.CurrentTenant)";

    /// <summary>
    /// Registers a singleton <see cref="HybridCache"/> over <paramref name="scope"/>, replacing one
    /// registered before (for example by <c>AddHybridCache()</c>; one registered after does not replace it).
    /// Serializers registered with <c>AddHybridCache().AddSerializer...()</c> are honoured.
    /// </summary>
    /// <remarks>
    /// <see cref="HybridCacheScope.CurrentTenant"/> needs a tenant accessor (<c>.WithTenantAccessor(...)</c>
    /// or <c>.WithAmbientTenant()</c>, before or after this call); without one, the host fails at start
    /// and resolving the cache throws <see cref="OptionsValidationException"/>.
    /// </remarks>
    public static TenantCacheBuilder AsHybridCache(this TenantCacheBuilder builder, HybridCacheScope scope, Action<TenantHybridCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckScope(scope);
        builder.Services.RemoveAll<HybridCache>();
        builder.Services.AddSingleton<HybridCache>(sp => Create(sp, scope, configure));
        AddChecks(builder.Services, scope);
        return builder;
    }

    /// <summary>
    /// Registers a keyed singleton <see cref="HybridCache"/> over <paramref name="scope"/> (inject it
    /// with <c>[FromKeyedServices(key)]</c>), replacing one registered before under the same key. Use
    /// it to have both an application-wide and a per-tenant cache.
    /// </summary>
    /// <remarks>The same requirements as <see cref="AsHybridCache"/>.</remarks>
    public static TenantCacheBuilder AsKeyedHybridCache(this TenantCacheBuilder builder, object? serviceKey, HybridCacheScope scope, Action<TenantHybridCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckScope(scope);
        builder.Services.RemoveAllKeyed<HybridCache>(serviceKey);
        builder.Services.AddKeyedSingleton<HybridCache>(serviceKey, (sp, _) => Create(sp, scope, configure));
        AddChecks(builder.Services, scope);
        return builder;
    }

    private static void CheckScope(HybridCacheScope scope)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a HybridCacheScope.");
        }
    }

    private static void AddChecks(IServiceCollection services, HybridCacheScope scope)
    {
        if (scope == HybridCacheScope.CurrentTenant)
        {
            // Checked with TenantCacheOptions, which AddTenantCache validates at start.
            TenantAccessorRequirement.Register(services, HybridComponent);
        }
    }

    private static TenantHybridCache Create(IServiceProvider services, HybridCacheScope scope, Action<TenantHybridCacheOptions>? configure)
    {
        var options = new TenantHybridCacheOptions();
        configure?.Invoke(options);
        var application = services.GetRequiredService<ITenantCache>();
        ICurrentTenantCache? tenant = null;
        if (scope == HybridCacheScope.CurrentTenant)
        {
            tenant = TenantAccessorRequirement.Resolve(services, HybridComponent);
        }

        var logger = (ILogger?)services.GetService<ILogger<TenantHybridCache>>() ?? NullLogger.Instance;
        return new TenantHybridCache(application, tenant, options, new HybridSerializers(services), logger);
    }
}
