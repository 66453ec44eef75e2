using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.Tenancy;

namespace TenantCache.AspNetCore.Tenancy;

/// <summary>The current tenant from an <see cref="HttpContext"/>.</summary>
public static class HttpContextTenantExtensions
{
    /// <summary>The request's tenant as the registered <see cref="ITenantContextAccessor"/> sees it, or <see langword="null"/>.</summary>
    public static string? GetTenantId(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TenantOf(context, context.RequestServices.GetService<ITenantContextAccessor>());
    }

    /// <summary>The tenant of <paramref name="context"/> as <paramref name="accessor"/> sees it (blank = none).</summary>
    internal static string? TenantOf(HttpContext context, ITenantContextAccessor? accessor)
    {
        var id = accessor is HttpTenantContextAccessor http ? http.Resolve(context) : accessor?.TenantId;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }
}
