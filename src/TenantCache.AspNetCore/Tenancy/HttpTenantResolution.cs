using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace TenantCache.AspNetCore.Tenancy;

/// <summary>
/// How the tenant of an HTTP request is found: an ordered list of resolvers, tried until one answers
/// with a non-blank id. Configure it with <c>AddTenantCache(...).WithHttpTenant(t =&gt; t.FromRouteValue("tenant"))</c>.
/// </summary>
/// <remarks>
/// Resolvers read what the client sent (a route value, a header, the host) or what authentication
/// established (a claim). TenantCache isolates any string safely, so a hostile id only ever reaches its
/// own (empty) cache; whether the caller may act for that tenant is the application's authorization.
/// </remarks>
public sealed class HttpTenantResolution
{
    private readonly List<Func<HttpContext, string?>> _resolvers = [];

    /// <summary>The resolvers, in the order they are tried.</summary>
    public IReadOnlyList<Func<HttpContext, string?>> Resolvers => _resolvers;

    /// <summary>The route value <paramref name="name"/> (for example <c>/{tenant}/info</c>). Needs routing to have run.</summary>
    public HttpTenantResolution FromRouteValue(string name = "tenant")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return From(context => context.Request.RouteValues.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>The first value of the request header <paramref name="name"/>.</summary>
    public HttpTenantResolution FromHeader(string name = "X-Tenant")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return From(context => context.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null);
    }

    /// <summary>
    /// The whole host name, without port, lower-cased and without a trailing dot (host names are
    /// case-insensitive, so <c>ACME.example.com</c> is the same tenant), for services that give each
    /// tenant its own domain.
    /// </summary>
    public HttpTenantResolution FromHost() => From(static context => HostName(context));

    /// <summary>
    /// The labels of the host name in front of <paramref name="parentDomain"/>: with <c>example.com</c>,
    /// <c>acme.example.com</c> is tenant <c>acme</c>; <c>example.com</c> itself and other domains have none.
    /// </summary>
    public HttpTenantResolution FromSubdomain(string parentDomain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentDomain);
        var suffix = "." + parentDomain.Trim('.');
        return From(context =>
        {
            var host = HostName(context);
            return host is not null && host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                ? host[..^suffix.Length]
                : null;
        });
    }

    /// <summary>The value of the authenticated user's claim <paramref name="claimType"/>.</summary>
    /// <remarks>ASP.NET Core's default output-cache policy does not cache authenticated requests; see docs/aspnetcore.md.</remarks>
    public HttpTenantResolution FromClaim(string claimType = "tenant_id")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        return From(context => context.User.FindFirst(claimType) is Claim claim ? claim.Value : null);
    }

    /// <summary>Any delegate of the request: return the tenant id, or <see langword="null"/> to let the next resolver try.</summary>
    public HttpTenantResolution From(Func<HttpContext, string?> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        _resolvers.Add(resolve);
        return this;
    }

    private static string? HostName(HttpContext context)
    {
        if (!context.Request.Host.HasValue)
        {
            return null;
        }

        var host = context.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
        return host.Length == 0 ? null : host;
    }

    /// <summary>Runs the resolvers in order; the first non-blank answer is the tenant.</summary>
    public string? Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var resolver in _resolvers)
        {
            var id = resolver(context);
            if (!string.IsNullOrWhiteSpace(id))
            {
                return id;
            }
        }

        return null;
    }
}
