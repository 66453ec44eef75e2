using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TenantCache.AspNetCore.Internal;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.AspNetCore.Tenancy;

namespace TenantCache.AspNetCore;

/// <summary>Registers TenantCache's ASP.NET Core pieces on the builder <c>AddTenantCache</c> returns.</summary>
public static class TenantCacheAspNetCoreExtensions
{
    /// <summary>
    /// The current tenant is the HTTP request's, found by the resolvers configured here (tried in
    /// order); registers <see cref="TenantCache.Tenancy.ICurrentTenantCache"/> and <c>IHttpContextAccessor</c>.
    /// </summary>
    /// <example><c>services.AddTenantCache(o =&gt; o.Application = "origin").WithHttpTenant(t =&gt; t.FromRouteValue("tenant").FromHeader("X-Tenant"));</c></example>
    public static TenantCacheBuilder WithHttpTenant(this TenantCacheBuilder builder, Action<HttpTenantResolution> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var resolution = new HttpTenantResolution();
        configure(resolution);
        if (resolution.Resolvers.Count == 0)
        {
            throw new ArgumentException("Configure at least one tenant resolver (FromRouteValue, FromHeader, FromHost, FromSubdomain, FromClaim or From).", nameof(configure));
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.RemoveAll<HttpTenantResolution>();
        builder.Services.AddSingleton(resolution);
        return builder.WithTenantAccessor<HttpTenantContextAccessor>();
    }

    /// <summary>
    /// Makes ASP.NET Core's output cache store its responses in TenantCache
    /// (<see cref="TenantOutputCacheStore"/>), replacing the in-memory store, whether
    /// <c>AddOutputCache()</c> is called before or after. Use <c>VaryByTenant()</c> in a policy to
    /// cache per tenant.
    /// </summary>
    public static TenantCacheBuilder WithOutputCaching(this TenantCacheBuilder builder, Action<TenantOutputCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<TenantOutputCacheOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenantOutputCacheOptions>, TenantOutputCacheOptionsValidator>());
        services.AddHttpContextAccessor();
        services.TryAddSingleton<TenantVaryPolicy>();
        services.Configure<OutputCacheOptions>(static o => o.AddBasePolicy(new OutputCacheContextCapture()));
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<TenantOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore>(static sp => sp.GetRequiredService<TenantOutputCacheStore>());
        return builder;
    }
}
