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
        var accessor = context.RequestServices.GetService<ITenantContextAccessor>();
        var id = accessor is HttpTenantContextAccessor http ? http.Resolve(context) : accessor?.TenantId;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }
}
