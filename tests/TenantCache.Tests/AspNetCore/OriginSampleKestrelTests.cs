using System.Net;
using System.Net.Http.Json;
using TenantCache.OriginSample;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.AspNetCore;

/// <summary>
/// End to end, as deployed: two processes of the origin sample on Kestrel over one real memcached
/// behave as one service — a response cached by one is served by the other, and a clear through
/// either is seen by both on their next request.
/// </summary>
public sealed class OriginSampleKestrelTests
{
    [Fact]
    public async Task Two_instances_over_one_memcached_behave_as_one_service()
    {
        await using var memcached = await MemcachedServer.StartAsync("-m", "16");
        var servers = "--Memcached:Servers=" + memcached.Endpoint;
        await using var one = await OriginSampleProcess.StartAsync(servers, "--Origin:InstanceName=one");
        await using var two = await OriginSampleProcess.StartAsync(servers, "--Origin:InstanceName=two");
        // As behind a load balancer: both instances see the service's host name (the output cache
        // varies by host by default, and each instance's own address would split the cache in two).
        using var toOne = new HttpClient { BaseAddress = one.Address, DefaultRequestHeaders = { Host = "origin.test" } };
        using var toTwo = new HttpClient { BaseAddress = two.Address, DefaultRequestHeaders = { Host = "origin.test" } };

        var acme = await InfoAsync(toOne, "acme");
        Assert.StartsWith("one-", acme.Computation, StringComparison.Ordinal);
        Assert.Equal(acme.Computation, (await InfoAsync(toTwo, "acme")).Computation); // served from the shared cache
        var beta = await InfoAsync(toTwo, "beta");
        Assert.StartsWith("two-", beta.Computation, StringComparison.Ordinal);

        await ClearAsync(toTwo, "/acme/clear");
        var acme2 = await InfoAsync(toOne, "acme");
        Assert.NotEqual(acme.Computation, acme2.Computation);
        Assert.Equal(acme2.Computation, (await InfoAsync(toTwo, "acme")).Computation);
        Assert.Equal(beta.Computation, (await InfoAsync(toOne, "beta")).Computation);

        await ClearAsync(toOne, "/clear");
        Assert.NotEqual(beta.Computation, (await InfoAsync(toTwo, "beta")).Computation);
        Assert.NotEqual(acme2.Computation, (await InfoAsync(toOne, "acme")).Computation);
    }

    private static async Task<TenantInfo> InfoAsync(HttpClient client, string tenant)
    {
        var info = await client.GetFromJsonAsync<TenantInfo>($"/{tenant}/info");
        Assert.NotNull(info);
        Assert.Equal(tenant, info.Tenant);
        return info;
    }

    private static async Task ClearAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
