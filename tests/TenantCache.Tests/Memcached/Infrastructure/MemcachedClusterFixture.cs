namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>Three memcached processes shared by a test class; <see cref="Servers"/> is the option string.</summary>
public sealed class MemcachedClusterFixture : IAsyncLifetime
{
    public IReadOnlyList<MemcachedServer> Nodes { get; private set; } = [];

    public string Servers => string.Join(",", Nodes.Select(n => n.Endpoint));

    public async Task InitializeAsync() =>
        Nodes = await Task.WhenAll(MemcachedServer.StartAsync("-m", "16"), MemcachedServer.StartAsync("-m", "16"), MemcachedServer.StartAsync("-m", "16"));

    public async Task DisposeAsync()
    {
        foreach (MemcachedServer node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
