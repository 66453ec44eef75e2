using Microsoft.AspNetCore.Http;
using TenantCache.Tenancy;

namespace TenantCache.AspNetCore.Tenancy;

/// <summary>
/// The tenant of the current HTTP request, found by <see cref="HttpTenantResolution"/> and remembered
/// in <see cref="HttpContext.Items"/>. Outside a request there is no tenant.
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

    /// <summary>
    /// The tenant of <paramref name="context"/>. Resolved once and remembered for the request, but
    /// resolved again when what resolvers read may have changed since: the user (authentication ran)
    /// or the route values (routing ran).
    /// </summary>
    public string? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        var routeValues = context.Request.RouteValues.Count;
        if (context.Items.TryGetValue(s_itemKey, out var cached) && cached is Memo memo && ReferenceEquals(memo.User, user) && memo.RouteValues == routeValues)
        {
            return memo.TenantId;
        }

        var id = _resolution.Resolve(context);
        context.Items[s_itemKey] = new Memo(id, user, routeValues);
        return id;
    }

    private sealed record Memo(string? TenantId, System.Security.Claims.ClaimsPrincipal User, int RouteValues);
}
