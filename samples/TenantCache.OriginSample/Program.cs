using TenantCache;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Memcached;
using TenantCache.OriginSample;
using TenantCache.Tenancy;

// The origin service of TenantCache: a multi-tenant API whose responses are cached per tenant in a
// shared cache (memcached when Memcached:Servers is set, else in process), where one tenant or the
// whole application can be cleared in O(1) without touching anybody else's entries.
var builder = WebApplication.CreateBuilder(args);

var cache = builder.Services
    .AddTenantCache(builder.Configuration.GetSection("TenantCache"))
    .WithHttpTenant(t => t.FromRouteValue("tenant"))
    .WithOutputCaching();
var health = builder.Services.AddHealthChecks();
if (!string.IsNullOrWhiteSpace(builder.Configuration["Memcached:Servers"]))
{
    cache.WithMemcached(builder.Configuration.GetSection("Memcached"));
    health.AddTenantCacheMemcached();
}

builder.Services.AddOutputCache(o => o.DefaultExpirationTimeSpan = TimeSpan.FromMinutes(5));
builder.Services.Configure<OriginOptions>(builder.Configuration.GetSection("Origin"));
builder.Services.AddSingleton<TenantInfoSource>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<CacheUnavailableHandler>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseOutputCache();

app.MapGet("/{tenant}/info", (string tenant, TenantInfoSource source, CancellationToken ct) => source.ComputeAsync(tenant, ct))
    .CacheOutput(p => p.VaryByTenant());

// The same data through the cache API instead of output caching: the current tenant's scope, and
// X-Cache telling whether this request computed the value.
app.MapGet("/{tenant}/report", async (HttpContext http, ICurrentTenantCache tenantCache, TenantInfoSource source, CancellationToken ct) =>
{
    var (report, outcome) = await tenantCache.GetOrCreateWithOutcomeAsync("report", c => new ValueTask<TenantInfo>(source.ComputeAsync(tenantCache.TenantId, c)), cancellationToken: ct);
    http.Response.Headers["X-Cache"] = outcome == GetOrCreateOutcome.Hit ? "HIT" : "MISS";
    return report;
});

app.MapPost("/{tenant}/clear", async (string tenant, ITenantCache cache, CancellationToken ct) =>
{
    if (string.IsNullOrWhiteSpace(tenant))
    {
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A tenant id must not be blank.");
    }

    await cache.Tenant(tenant).InvalidateAsync(ct);
    return Results.NoContent();
});

app.MapPost("/clear", async (ITenantCache cache, CancellationToken ct) =>
{
    await cache.InvalidateAsync(ct);
    return Results.NoContent();
});

app.MapHealthChecks("/health");

app.Run();
