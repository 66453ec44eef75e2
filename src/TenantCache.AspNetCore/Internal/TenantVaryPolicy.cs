using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TenantCache.AspNetCore.Tenancy;
using TenantCache.Tenancy;

namespace TenantCache.AspNetCore.Internal;

/// <summary>
/// The output-cache policy behind <c>VaryByTenant()</c>: the response is cached per tenant, in the
/// tenant's scope (the tenant travels in the key prefix, see <see cref="TenantKeyPrefix"/>). A request
/// without a tenant is neither looked up nor stored: it never falls back to a shared entry.
/// </summary>
internal sealed class TenantVaryPolicy : IOutputCachePolicy
{
    /// <summary>The vary-by value that keeps keys per tenant even if a later policy replaces the prefix.</summary>
    internal const string VaryByValueName = "tc-tenant";

    private readonly ITenantContextAccessor _accessor;
    private readonly ILogger _logger;

    public TenantVaryPolicy(IServiceProvider services)
    {
        _accessor = services.GetService<ITenantContextAccessor>()!;
        if (_accessor is null)
        {
            throw new InvalidOperationException(
                "VaryByTenant() needs to know the tenant of a request: register it with AddTenantCache(...).WithHttpTenant(t => t.FromRouteValue(\"tenant\")) (or another resolver, or WithTenantAccessor<T>()).");
        }

        _logger = services.GetService<ILogger<TenantVaryPolicy>>() ?? (ILogger)NullLogger.Instance;
    }

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var tenant = HttpContextTenantExtensions.TenantOf(context.HttpContext, _accessor);
        if (tenant is null)
        {
            context.AllowCacheLookup = false;
            context.AllowCacheStorage = false;
            OutputCacheMetrics.NoTenant();
            Log.NoTenant(_logger);
            return ValueTask.CompletedTask;
        }

        var rules = context.CacheVaryByRules;
        var tenantPrefix = TenantKeyPrefix.Create(tenant);
        rules.CacheKeyPrefix = tenantPrefix + rules.CacheKeyPrefix;

        // Defence in depth: should a later policy overwrite the prefix, the key still varies by tenant
        // (the response then lives in the application scope, isolated but not evicted with the tenant).
        rules.VaryByValues[VaryByValueName] = tenantPrefix;
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}
