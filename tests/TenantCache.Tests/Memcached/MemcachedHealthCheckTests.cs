using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>The memcached health check against real servers, killed and frozen.</summary>
public sealed class MemcachedHealthCheckTests
{
    private static ServiceProvider Provider(string servers, TimeSpan? timeout = null, int failureThreshold = 3)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(o => o.Application = "health").WithMemcached(o =>
        {
            o.Servers = servers;
            o.FailureThreshold = failureThreshold;
            o.ConnectTimeout = TimeSpan.FromSeconds(5);
            o.OperationTimeout = TimeSpan.FromSeconds(5);
        });
        services.AddHealthChecks().AddTenantCacheMemcached(tags: ["ready"], timeout: timeout);
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(ServiceProvider provider)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[MemcachedHealthChecksBuilderExtensions.DefaultName];
    }

    [Fact(Timeout = 60_000)]
    public async Task All_servers_up_is_healthy_with_every_node_and_its_latency_in_the_data()
    {
        await using var cluster = await MemcachedCluster.StartAsync(3);
        await using var provider = Provider(cluster.Servers);

        var entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("3 of 3 memcached servers up", entry.Description);
        Assert.Equal(["ready"], entry.Tags);
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal("up", entry.Data[node.Endpoint]);
            Assert.InRange((double)entry.Data[node.Endpoint + ".latency_ms"], 0, 5_000);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task One_node_killed_is_degraded_and_names_the_node()
    {
        await using var cluster = await MemcachedCluster.StartAsync(3);
        await using var provider = Provider(cluster.Servers);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider)).Status);

        var victim = cluster.Nodes[1];
        victim.Kill();
        var entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("2 of 3 memcached servers up", entry.Description);
        Assert.StartsWith("down: ", (string)entry.Data[victim.Endpoint]);
        Assert.Equal("up", entry.Data[cluster.Nodes[0].Endpoint]);
        Assert.Equal("up", entry.Data[cluster.Nodes[2].Endpoint]);
    }

    [Fact(Timeout = 60_000)]
    public async Task All_nodes_down_is_unhealthy_and_a_restarted_node_counts_again()
    {
        await using var cluster = await MemcachedCluster.StartAsync(2);
        await using var provider = Provider(cluster.Servers);
        foreach (var node in cluster.Nodes)
        {
            node.Kill();
        }

        var entry = await CheckAsync(provider);
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("0 of 2 memcached servers up", entry.Description);
        Assert.All(cluster.Nodes, n => Assert.StartsWith("down: ", (string)entry.Data[n.Endpoint]));

        await cluster.Nodes[0].RestartAsync();
        await Eventually.SucceedsAsync(async () => Assert.Equal(HealthStatus.Degraded, (await CheckAsync(provider)).Status), TimeSpan.FromSeconds(30));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_frozen_node_is_reported_down_within_the_timeout_and_the_check_alone_never_marks_it_down()
    {
        await using var cluster = await MemcachedCluster.StartAsync(2);
        await using var provider = Provider(cluster.Servers, timeout: TimeSpan.FromMilliseconds(300), failureThreshold: 1);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider)).Status); // connections are open

        var frozen = cluster.Nodes[0];
        frozen.Pause();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var entry = await CheckAsync(provider);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the check took {watch.Elapsed}");
                Assert.Equal(HealthStatus.Degraded, entry.Status);
                Assert.Equal("down: no reply within 300 ms", entry.Data[frozen.Endpoint]);
                Assert.Equal("up", entry.Data[cluster.Nodes[1].Endpoint]);
            }

            var client = provider.GetRequiredService<MemcachedClient>();
            Assert.False(client.NodeAt(client.Servers[0]).IsDown); // a timed-out ping is not a failure
        }
        finally
        {
            frozen.Resume();
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider)).Status);
    }

    [Fact]
    public void The_timeout_must_be_positive_and_the_name_not_empty()
    {
        var builder = new ServiceCollection().AddHealthChecks();
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddTenantCacheMemcached(timeout: TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => builder.AddTenantCacheMemcached(name: " "));
    }
}
