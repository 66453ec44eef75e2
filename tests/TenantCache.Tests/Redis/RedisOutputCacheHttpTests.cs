using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Redis;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>
/// End to end over HTTP: an ASP.NET Core app on Kestrel (a real socket on 127.0.0.1), output caching per
/// tenant through <c>WithRedis</c> as an application registers it, over a real Redis. Tenant A's response is
/// cached, tenant B never sees it, and invalidating A's tag or A itself makes A's next request recompute
/// while B's stays cached.
/// </summary>
public abstract class RedisOutputCacheHttpContract
{
    protected abstract string Configuration { get; }

    [Fact(Timeout = 60_000)]
    public async Task Tenant_responses_are_cached_apart_and_a_tag_or_tenant_invalidation_recomputes_only_that_tenant()
    {
        var computations = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddTenantCache(o => o.Application = "http-" + Guid.NewGuid().ToString("N")[..8])
            .WithRedis(o => o.Configuration = Configuration)
            .WithHttpTenant(t => t.FromRouteValue("tenant"))
            .WithOutputCaching();
        builder.Services.AddOutputCache();
        await using var app = builder.Build();
        app.UseOutputCache();
        app.MapGet("/{tenant}/items/{id}", (HttpContext c) => $"{c.GetRouteValue("tenant")}:{c.GetRouteValue("id")}#{Interlocked.Increment(ref computations)}")
            .CacheOutput(p => p.VaryByTenant())
            .WithOutputCacheTag(c => "item:" + c.GetRouteValue("id"));
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            var a1 = await GetAsync(http, "/acme/items/1");
            Assert.Equal("acme:1#1", a1);
            Assert.Equal(a1, await GetAsync(http, "/acme/items/1")); // cached in Redis
            var b1 = await GetAsync(http, "/beta/items/1");
            Assert.Equal("beta:1#2", b1); // same path, other tenant: computed, never A's response
            Assert.Equal(b1, await GetAsync(http, "/beta/items/1"));
            var a2 = await GetAsync(http, "/acme/items/2");

            // The tag is application-wide: it recomputes item 1 in every tenant, and nothing else.
            await app.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync("item:1", default);
            var a1After = await GetAsync(http, "/acme/items/1");
            Assert.NotEqual(a1, a1After);
            Assert.NotEqual(b1, await GetAsync(http, "/beta/items/1"));
            Assert.Equal(a2, await GetAsync(http, "/acme/items/2"));
            var b1Cached = await GetAsync(http, "/beta/items/1");

            // The tenant: everything of A recomputes, B's responses stay.
            await app.Services.GetRequiredService<ITenantCache>().Tenant("acme").InvalidateAsync();
            Assert.NotEqual(a1After, await GetAsync(http, "/acme/items/1"));
            Assert.NotEqual(a2, await GetAsync(http, "/acme/items/2"));
            Assert.Equal(b1Cached, await GetAsync(http, "/beta/items/1"));
            Assert.IsType<RedisCacheStore>(app.Services.GetRequiredService<TenantCache.Stores.ICacheStore>());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}

/// <summary>The HTTP test on one real Redis server.</summary>
public sealed class RedisOutputCacheHttpTests(RedisServerFixture fixture) : RedisOutputCacheHttpContract, IClassFixture<RedisServerFixture>
{
    protected override string Configuration => fixture.Server.Endpoint;
}

/// <summary>The HTTP test on a 3-primary Redis Cluster.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterOutputCacheHttpTests(RedisClusterFixture fixture) : RedisOutputCacheHttpContract, IClassFixture<RedisClusterFixture>
{
    protected override string Configuration => fixture.Cluster.Configuration;
}
