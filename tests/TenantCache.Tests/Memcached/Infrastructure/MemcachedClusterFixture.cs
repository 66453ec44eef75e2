namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>Three memcached processes shared by a test class; <see cref="Servers"/> is the option string.</summary>
public sealed class MemcachedClusterFixture : IAsyncLifetime
{
    private MemcachedCluster? _cluster;

    public IReadOnlyList<MemcachedServer> Nodes => Cluster.Nodes;

    public string Servers => Cluster.Servers;

    private MemcachedCluster Cluster => _cluster ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _cluster = await MemcachedCluster.StartAsync(3, "-m", "16");

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
