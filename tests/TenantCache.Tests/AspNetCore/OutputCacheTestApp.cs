using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Stores;

namespace TenantCache.Tests.AspNetCore;

/// <summary>
/// A real ASP.NET Core pipeline (routing, output-cache middleware, TenantCache's store) on a
/// TestServer, with endpoints that count their computations so a test can tell a cached response
/// from a fresh one. The tenant comes from the route (<c>/t/{tenant}/...</c>) or the <c>X-Tenant</c> header.
/// </summary>
internal sealed class OutputCacheTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _computations;

    private OutputCacheTestApp(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    /// <summary>Set when a request of <c>/slow</c> is inside its endpoint.</summary>
    public TaskCompletionSource SlowEntered { get; private set; } = NewSignal();

    /// <summary>Holds <c>/slow</c> inside its endpoint until set.</summary>
    public TaskCompletionSource SlowRelease { get; private set; } = NewSignal();

    /// <summary>Re-arms the two <c>/slow</c> signals.</summary>
    public void ResetSlow()
    {
        SlowEntered = NewSignal();
        SlowRelease = NewSignal();
    }

    public IServiceProvider Services => _app.Services;

    public IOutputCacheStore Store => _app.Services.GetRequiredService<IOutputCacheStore>();

    public ITenantCache Cache => _app.Services.GetRequiredService<ITenantCache>();

    public static async Task<OutputCacheTestApp> StartAsync(ICacheStore store, string? application = null, Action<TenantOutputCacheOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(store);
        builder.Services.AddTenantCache(o => o.Application = application ?? "web-" + Guid.NewGuid().ToString("N")[..10])
            .WithHttpTenant(t => t.FromRouteValue("tenant").FromHeader("X-Tenant"))
            .WithOutputCaching(o =>
            {
                o.TagsHeader = "Surrogate-Key";
                configure?.Invoke(o);
            });
        builder.Services.AddOutputCache();
        var app = builder.Build();
        app.UseOutputCache();
        OutputCacheTestApp? self = null;
        string Next(HttpContext c) => $"{c.GetRouteValue("tenant") ?? c.Request.Headers["X-Tenant"].ToString()}#{Interlocked.Increment(ref self!._computations)}";

        app.MapGet("/t/{tenant}/info", (HttpContext c) => Next(c)).CacheOutput(p => p.VaryByTenant());
        app.MapGet("/info", (HttpContext c) => Next(c)).CacheOutput(p => p.VaryByTenant());
        app.MapGet("/shared", (HttpContext c) => Next(c)).CacheOutput();
        app.MapGet("/products/{id}", (HttpContext c) => Next(c))
            .CacheOutput(p => p.VaryByTenant())
            .WithOutputCacheTag(c => "product:" + c.GetRouteValue("id"));
        app.MapGet("/surrogate/{key}", (HttpContext c, string key) =>
        {
            // Tags decided by the endpoint while it runs: one through the API, one as a response header.
            c.AddOutputCacheTags("api:" + key);
            c.Response.Headers["Surrogate-Key"] = "hdr:" + key + " common";
            return Next(c);
        }).CacheOutput(p => p.VaryByTenant());

        // Typed as Func, not a method group: a route handler whose string is written, not a RequestDelegate.
        Func<HttpContext, Task<string>> slow = async c =>
        {
            var body = Next(c); // "computed" from the data as it is now, then slow to finish
            self!.SlowEntered.TrySetResult();
            await self.SlowRelease.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return body;
        };

        app.MapGet("/slow", slow).CacheOutput(p => p.VaryByTenant()).WithOutputCacheTag(_ => "slow-tag");
        app.MapGet("/slow-shared", slow).CacheOutput();
        app.MapGet("/big/{bytes:int}", (HttpContext c, int bytes) => Next(c) + new string('x', bytes)).CacheOutput(p => p.VaryByTenant());

        await app.StartAsync();
        self = new OutputCacheTestApp(app, app.GetTestClient());
        return self;
    }

    /// <summary>GET, asserting 200; returns the body (which names its computation).</summary>
    public async Task<string> GetAsync(string path, string? tenantHeader = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (tenantHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Tenant", tenantHeader);
        }

        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
