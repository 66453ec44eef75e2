using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantCache.Distributed;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Distributed;

/// <summary>
/// ASP.NET Core session state over TenantCache's IDistributedCache: two applications over one store,
/// sharing a data-protection key ring so that each accepts the other's session cookie, keep separate
/// sessions under the same cookie value. Over bare keys the second would read the first's session.
/// </summary>
public sealed class SessionStateTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_applications_keep_their_own_session_under_the_same_cookie(bool memcached)
    {
        var protection = new EphemeralDataProtectionProvider();
        var sharedStore = new MemoryCacheStore();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var shop = await StartAsync("shop-" + suffix, protection, memcached ? null : sharedStore);
        using var blog = await StartAsync("blog-" + suffix, protection, memcached ? null : sharedStore);
        using var shopClient = shop.GetTestClient();
        using var blogClient = blog.GetTestClient();

        var set = await shopClient.GetAsync(new Uri("/set/alpha", UriKind.Relative));
        set.EnsureSuccessStatusCode();
        var cookie = Assert.Single(set.Headers.GetValues("Set-Cookie")).Split(';')[0];
        Assert.StartsWith(".AspNetCore.Session=", cookie, StringComparison.Ordinal);

        Assert.Equal("(none)", await GetAsync(blogClient, "/get", cookie));
        Assert.Equal("set", await GetAsync(blogClient, "/set/beta", cookie));
        Assert.Equal("alpha", await GetAsync(shopClient, "/get", cookie));
        Assert.Equal("beta", await GetAsync(blogClient, "/get", cookie));
    }

    private static async Task<string> GetAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.False(response.Headers.Contains("Set-Cookie"), "the cookie sent was accepted, no new session started");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<IHost> StartAsync(string application, IDataProtectionProvider protection, ICacheStore? store)
    {
        var host = new HostBuilder().ConfigureWebHost(web => web
            .UseTestServer()
            .ConfigureServices(services =>
            {
                services.AddSingleton(protection);
                var cache = services.AddTenantCache(o => o.Application = application);
                if (store is null)
                {
                    cache.WithMemcached(o =>
                    {
                        o.Servers = fixture.Server.Endpoint;
                        o.OperationTimeout = TimeSpan.FromSeconds(5);
                        o.ConnectTimeout = TimeSpan.FromSeconds(5);
                    });
                }
                else
                {
                    services.AddSingleton(store);
                }

                cache.AsDistributedCache();
                services.AddSession();
            })
            .Configure(app =>
            {
                app.UseSession();
                app.Run(async context =>
                {
                    var path = context.Request.Path.Value ?? "";
                    if (path.StartsWith("/set/", StringComparison.Ordinal))
                    {
                        context.Session.SetString("v", path["/set/".Length..]); // sync load: the adapter's sync Get
                        await context.Session.CommitAsync();
                        await context.Response.WriteAsync("set");
                        return;
                    }

                    await context.Session.LoadAsync();
                    await context.Response.WriteAsync(context.Session.GetString("v") ?? "(none)");
                });
            }));
        return await host.StartAsync();
    }
}
