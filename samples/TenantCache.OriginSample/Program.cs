using TenantCache;
using TenantCache.AspNetCore;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Memcached;
using TenantCache.OriginSample;

// The origin service of TenantCache: a multi-tenant API whose responses are cached per tenant in a
// shared cache (memcached when Memcached:Servers is set, else in process), where one tenant or the
// whole application can be cleared in O(1) without touching anybody else's entries.
var builder = WebApplication.CreateBuilder(args);

var cache = builder.Services
    .AddTenantCache(o => builder.Configuration.GetSection("TenantCache").Bind(o))
    .WithHttpTenant(t => t.FromRouteValue("tenant"))
    .WithOutputCaching();
if (!string.IsNullOrWhiteSpace(builder.Configuration["Memcached:Servers"]))
{
    cache.WithMemcached(o => builder.Configuration.GetSection("Memcached").Bind(o));
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

app.Run();
