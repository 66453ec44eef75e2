using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Http;

/// <summary>
/// One HTTP server under test, on Kestrel at a free 127.0.0.1 port: the same endpoint
/// (<c>GET /{tenant}/info</c>, a ~1 KB JSON body after a simulated computation) served with
/// TenantCache's output-cache store over memcached (<c>tenantcache</c>) or over its in-process store
/// (<c>tenantcache-inproc</c>: the engine's own cost, without the network), ASP.NET Core's built-in
/// in-memory output cache, or no cache at all.
/// </summary>
internal sealed class HttpContender : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpContender(string name, WebApplication app, Uri address)
    {
        Name = name;
        _app = app;
        Address = address;
    }

    public string Name { get; }

    public Uri Address { get; }

    public IOutputCacheStore? Store => _app.Services.GetService<IOutputCacheStore>();

    public static async Task<HttpContender> StartAsync(string name, string? memcachedServers, TimeSpan compute)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var cached = name != "no-cache";
        if (name.StartsWith("tenantcache", StringComparison.Ordinal))
        {
            var cache = builder.Services.AddTenantCache(o => o.Application = "httpbench")
                .WithHttpTenant(t => t.FromRouteValue("tenant"))
                .WithOutputCaching();
            if (name == "tenantcache")
            {
                cache.WithMemcached(o => o.Servers = memcachedServers);
            }
        }

        if (cached)
        {
            builder.Services.AddOutputCache(o => o.DefaultExpirationTimeSpan = TimeSpan.FromMinutes(30));
        }

        var app = builder.Build();
        if (cached)
        {
            app.UseOutputCache();
        }

        var padding = new string('x', 900);
        var endpoint = app.MapGet("/{tenant}/info", async (string tenant, CancellationToken ct) =>
        {
            if (compute > TimeSpan.Zero)
            {
                await Task.Delay(compute, ct);
            }

            return Results.Json(new { tenant, info = tenant + ": 2 days", padding, at = DateTimeOffset.UtcNow });
        });
        if (name.StartsWith("tenantcache", StringComparison.Ordinal))
        {
            endpoint.CacheOutput(p => p.VaryByTenant());
        }
        else if (name == "builtin-memory")
        {
            endpoint.CacheOutput(p => p.SetVaryByRouteValue("tenant").Tag("tenant"));
        }

        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new HttpContender(name, app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
