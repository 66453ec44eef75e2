using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TenantCache.OriginSample;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.AspNetCore;

/// <summary>
/// The origin sample through WebApplicationFactory (any type of its assembly names the entry point):
/// its routes, its cache, its failure answers.
/// </summary>
public sealed class OriginSampleTests
{
    private static WebApplicationFactory<TenantInfoSource> Sample(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<TenantInfoSource>().WithWebHostBuilder(b =>
        {
            b.UseSetting("TenantCache:Application", "origin-" + Guid.NewGuid().ToString("N")[..8]);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private static async Task<TenantInfo> InfoAsync(HttpClient client, string tenant)
    {
        var info = await client.GetFromJsonAsync<TenantInfo>($"/{Uri.EscapeDataString(tenant)}/info");
        Assert.NotNull(info);
        Assert.Equal(tenant, info.Tenant);
        return info;
    }

    [Fact]
    public async Task Info_is_cached_per_tenant_and_clears_are_per_tenant_or_whole()
    {
        await using var factory = Sample();
        using var client = factory.CreateClient();
        var acme = await InfoAsync(client, "acme");
        var beta = await InfoAsync(client, "beta");
        Assert.Equal("acme: 2 days", acme.Info);
        Assert.Equal(acme.Computation, (await InfoAsync(client, "acme")).Computation);

        using (var clear = await client.PostAsync("/acme/clear", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        var acme2 = await InfoAsync(client, "acme");
        Assert.NotEqual(acme.Computation, acme2.Computation);
        Assert.Equal(beta.Computation, (await InfoAsync(client, "beta")).Computation);

        using (var clearAll = await client.PostAsync("/clear", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, clearAll.StatusCode);
        }

        Assert.NotEqual(beta.Computation, (await InfoAsync(client, "beta")).Computation);
        Assert.NotEqual(acme2.Computation, (await InfoAsync(client, "acme")).Computation);
    }

    [Fact]
    public async Task A_blank_tenant_clear_is_a_400_and_hostile_ids_are_served_isolated()
    {
        await using var factory = Sample();
        using var client = factory.CreateClient();
        using (var blank = await client.PostAsync("/%20/clear", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        }

        var a = await InfoAsync(client, "a;b");
        var b = await InfoAsync(client, "a%3Bb");
        var c = await InfoAsync(client, "tc-tenant:a;");
        Assert.Equal(3, new[] { a.Computation, b.Computation, c.Computation }.Distinct().Count());
        Assert.Equal(a.Computation, (await InfoAsync(client, "a;b")).Computation);
    }

    [Fact]
    public async Task The_report_says_in_X_Cache_whether_this_request_computed_it()
    {
        await using var factory = Sample();
        using var client = factory.CreateClient();
        async Task<(string Cache, TenantInfo Body)> ReportAsync(string tenant)
        {
            using var response = await client.GetAsync($"/{tenant}/report");
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<TenantInfo>();
            Assert.NotNull(body);
            Assert.Equal(tenant, body.Tenant);
            return (string.Join(",", response.Headers.GetValues("X-Cache")), body);
        }

        var (first, computed) = await ReportAsync("acme");
        var (second, cached) = await ReportAsync("acme");
        Assert.Equal("MISS", first);
        Assert.Equal("HIT", second);
        Assert.Equal(computed.Computation, cached.Computation);
        Assert.Equal("MISS", (await ReportAsync("beta")).Cache);

        using (await client.PostAsync("/acme/clear", null))
        {
        }

        var (afterClear, recomputed) = await ReportAsync("acme");
        Assert.Equal("MISS", afterClear);
        Assert.NotEqual(computed.Computation, recomputed.Computation);
    }

    [Fact]
    public async Task Health_reports_memcached_up_then_down()
    {
        var server = await MemcachedServer.StartAsync("-m", "16");
        await using var factory = Sample(("Memcached:Servers", server.Endpoint));
        using var client = factory.CreateClient();
        using (var up = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
            Assert.Equal("Healthy", await up.Content.ReadAsStringAsync());
        }

        await server.DisposeAsync();
        using var down = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_memcached_down_info_is_still_served_and_a_clear_is_a_503()
    {
        var server = await MemcachedServer.StartAsync("-m", "16");
        await using var factory = Sample(("Memcached:Servers", server.Endpoint));
        using var client = factory.CreateClient();
        var cached = await InfoAsync(client, "acme");
        Assert.Equal(cached.Computation, (await InfoAsync(client, "acme")).Computation);

        await server.DisposeAsync(); // memcached is gone

        var started = DateTime.UtcNow;
        var down1 = await InfoAsync(client, "acme");
        var down2 = await InfoAsync(client, "acme");
        Assert.NotEqual(cached.Computation, down1.Computation); // computed, not an error
        Assert.NotEqual(down1.Computation, down2.Computation);

        using var clear = await client.PostAsync("/acme/clear", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, clear.StatusCode);
        Assert.Contains("could not be cleared", await clear.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "answers came within the configured timeouts");
    }
}
