using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.Tenancy;
using TenantCache.Tenancy;

namespace TenantCache.Tests.AspNetCore;

public sealed class HttpTenantResolutionTests
{
    private static DefaultHttpContext Request(Action<DefaultHttpContext> setup)
    {
        var context = new DefaultHttpContext();
        setup(context);
        return context;
    }

    [Fact]
    public void Each_resolver_reads_its_part_of_the_request()
    {
        var context = Request(c =>
        {
            c.Request.RouteValues = new RouteValueDictionary { ["tenant"] = "from-route" };
            c.Request.Headers["X-Tenant"] = "from-header";
            c.Request.Host = new HostString("acme.example.com", 8080);
            c.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant_id", "from-claim")], "test"));
        });

        Assert.Equal("from-route", new HttpTenantResolution().FromRouteValue().Resolve(context));
        Assert.Equal("from-header", new HttpTenantResolution().FromHeader().Resolve(context));
        Assert.Equal("acme.example.com", new HttpTenantResolution().FromHost().Resolve(context));
        Assert.Equal("acme", new HttpTenantResolution().FromSubdomain("example.com").Resolve(context));
        Assert.Equal("acme", new HttpTenantResolution().FromSubdomain(".EXAMPLE.com.").Resolve(context));
        Assert.Equal("from-claim", new HttpTenantResolution().FromClaim().Resolve(context));
        Assert.Equal("8080", new HttpTenantResolution().From(c => c.Request.Host.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Resolve(context));
    }

    [Fact]
    public void Resolvers_are_tried_in_order_and_blank_answers_do_not_count()
    {
        var context = Request(c => c.Request.Headers["X-Tenant"] = "  ");
        var resolution = new HttpTenantResolution().FromRouteValue().FromHeader().From(_ => "fallback");
        Assert.Equal("fallback", resolution.Resolve(context));

        context.Request.Headers["X-Tenant"] = "header";
        Assert.Equal("header", resolution.Resolve(context));
    }

    [Fact]
    public void Host_names_are_one_tenant_whatever_their_case_or_trailing_dot()
    {
        var host = new HttpTenantResolution().FromHost();
        var subdomain = new HttpTenantResolution().FromSubdomain("example.com");
        foreach (var name in new[] { "acme.example.com", "ACME.Example.COM", "acme.example.com." })
        {
            var context = Request(c => c.Request.Host = new HostString(name));
            Assert.Equal("acme.example.com", host.Resolve(context));
            Assert.Equal("acme", subdomain.Resolve(context));
        }
    }

    [Fact]
    public void The_remembered_tenant_is_resolved_again_once_authentication_or_routing_ran()
    {
        var http = new HttpContextAccessor();
        var accessor = new HttpTenantContextAccessor(http, new HttpTenantResolution().FromClaim().FromRouteValue());
        var context = Request(_ => { });
        http.HttpContext = context;
        Assert.Null(accessor.TenantId); // before authentication and routing: nobody yet

        context.Request.RouteValues = new RouteValueDictionary { ["tenant"] = "from-route" };
        Assert.Equal("from-route", accessor.TenantId);

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant_id", "from-claim")], "test"));
        Assert.Equal("from-claim", accessor.TenantId); // the claim comes first once there is a user
        Assert.Equal("from-claim", accessor.TenantId);
    }

    [Fact]
    public void A_subdomain_resolver_answers_nothing_for_the_parent_domain_or_another_domain()
    {
        var resolution = new HttpTenantResolution().FromSubdomain("example.com");
        Assert.Null(resolution.Resolve(Request(c => c.Request.Host = new HostString("example.com"))));
        Assert.Null(resolution.Resolve(Request(c => c.Request.Host = new HostString("acme.example.org"))));
        Assert.Null(resolution.Resolve(Request(c => c.Request.Host = new HostString("evilexample.com"))));
        Assert.Null(resolution.Resolve(Request(_ => { })));
    }

    [Fact]
    public void Bad_configuration_is_refused_when_configured()
    {
        Assert.Throws<ArgumentException>(() => new HttpTenantResolution().FromHeader(" "));
        Assert.Throws<ArgumentNullException>(() => new HttpTenantResolution().From(null!));
        var builder = new ServiceCollection().AddTenantCache(o => o.Application = "a");
        Assert.Throws<ArgumentException>(() => builder.WithHttpTenant(_ => { }));
    }

    [Fact]
    public async Task The_current_tenant_cache_follows_the_request_and_throws_without_a_tenant()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(o => o.Application = "http-tenant").WithHttpTenant(t => t.FromHeader());
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpContextAccessor>();
        var current = provider.GetRequiredService<ICurrentTenantCache>();

        http.HttpContext = Request(c => c.Request.Headers["X-Tenant"] = "acme");
        await current.SetAsync("k", "acme's");
        Assert.Equal("acme", current.TenantId);

        http.HttpContext = Request(c => c.Request.Headers["X-Tenant"] = "beta");
        Assert.False((await current.GetAsync<string>("k")).HasValue);

        http.HttpContext = Request(_ => { });
        Assert.Null(current.TryResolve());
        await Assert.ThrowsAsync<MissingTenantException>(async () => await current.GetAsync<string>("k"));
        http.HttpContext = null;
        Assert.Throws<MissingTenantException>(() => current.TenantId);

        var app = provider.GetRequiredService<ITenantCache>();
        Assert.Equal("acme's", (await app.Tenant("acme").GetAsync<string>("k")).Value);
        Assert.False((await app.GetAsync<string>("k")).HasValue); // never written to the application scope
    }
}
