namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>
/// Several real memcached processes. <c>await using var cluster = await MemcachedCluster.StartAsync(3);</c>
/// then <c>new MemcachedOptions { Servers = cluster.Servers }</c>.
/// </summary>
public sealed class MemcachedCluster : IAsyncDisposable
{
    private MemcachedCluster(IReadOnlyList<MemcachedServer> nodes) => Nodes = nodes;

    /// <summary>The processes, in the order of <see cref="Servers"/>.</summary>
    public IReadOnlyList<MemcachedServer> Nodes { get; }

    /// <summary>The option string, <c>127.0.0.1:P1,127.0.0.1:P2,...</c>.</summary>
    public string Servers => string.Join(",", Nodes.Select(n => n.Endpoint));

    /// <summary>Starts <paramref name="count"/> servers with the same extra arguments.</summary>
    public static async Task<MemcachedCluster> StartAsync(int count, params string[] extraArgs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var nodes = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => MemcachedServer.StartAsync(extraArgs)));
        return new MemcachedCluster(nodes);
    }

    /// <summary>The process listening on <paramref name="endpoint"/> (as <c>Locate(key).ToString()</c> prints it).</summary>
    public MemcachedServer NodeAt(string endpoint) => Nodes.Single(n => n.Endpoint == endpoint);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
