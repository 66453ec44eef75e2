using Microsoft.AspNetCore.Http;
using TenantCache.Tenancy;

namespace TenantCache.AspNetCore.Tenancy;

/// <summary>
/// The tenant of the current HTTP request, found by <see cref="HttpTenantResolution"/> once per request
/// and remembered in <see cref="HttpContext.Items"/>. Outside a request there is no tenant.
/// </summary>
public sealed class HttpTenantContextAccessor : ITenantContextAccessor
{
    private static readonly object s_itemKey = new();
    private readonly IHttpContextAccessor _http;
    private readonly HttpTenantResolution _resolution;

    /// <summary>Creates the accessor.</summary>
    public HttpTenantContextAccessor(IHttpContextAccessor http, HttpTenantResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(resolution);
        _http = http;
        _resolution = resolution;
    }

    /// <inheritdoc />
    public string? TenantId => _http.HttpContext is { } context ? Resolve(context) : null;

    /// <summary>The tenant of <paramref name="context"/>, resolved once per request.</summary>
    public string? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(s_itemKey, out var cached))
        {
            return (string?)cached;
        }

        var id = _resolution.Resolve(context);
        if (context.Request.RouteValues.Count > 0 || id is not null)
        {
            // Before routing a route-value resolver cannot answer yet: only remember a final answer.
            context.Items[s_itemKey] = id;
        }

        return id;
    }
}
