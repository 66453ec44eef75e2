using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Engine;

/// <summary>The whole engine contract on one real memcached process.</summary>
public sealed class MemcachedEngineTests(MemcachedServerFixture fixture) : EngineContractTests, IClassFixture<MemcachedServerFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint }));
}

/// <summary>The whole engine contract on one real memcached process with no token reuse (every read reads every token).</summary>
public sealed class MemcachedNoReuseEngineTests(MemcachedServerFixture fixture) : EngineContractTests, IClassFixture<MemcachedServerFixture>
{
    protected override TimeSpan? TokenReuseWindow => TimeSpan.Zero;

    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint }));
}

/// <summary>The whole engine contract on a three-node memcached cluster (ketama placement).</summary>
public sealed class ClusterEngineTests(MemcachedClusterFixture fixture) : EngineContractTests, IClassFixture<MemcachedClusterFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync() =>
        Task.FromResult<ICacheStore>(new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Servers }));

    [Fact]
    public async Task The_keys_of_one_read_really_are_spread_over_several_nodes()
    {
        // Guards the point of this class: a tenant's version keys and data keys land on different
        // servers, so the engine's batched read must gather from several nodes at once.
        var store = (MemcachedCacheStore)Store;
        var app = NewApp();
        var nodes = new HashSet<ServerEndpoint>();
        for (var i = 0; i < 20; i++)
        {
            var path = TenantCache.Internal.ScopePath.ForApplication(app.Application).Child("t" + i);
            nodes.Add(store.Client.Locate(path.VersionKeys[1]));
            nodes.Add(store.Client.Locate(TenantCache.Internal.KeyEncoder.Bound(path.CanonicalDataKey("k"))));
            await app.Tenant("t" + i).SetAsync("k", "v" + i);
        }

        Assert.Equal(3, nodes.Count);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("v" + i, (await app.Tenant("t" + i).GetAsync<string>("k")).Value);
        }
    }
}

/// <summary>Three memcached processes shared by a test class.</summary>
public sealed class MemcachedClusterFixture : IAsyncLifetime
{
    public MemcachedServer[] Nodes { get; private set; } = [];

    public string Servers => string.Join(',', Nodes.Select(n => n.Endpoint));

    public async Task InitializeAsync() =>
        Nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MemcachedServer.StartAsync("-m", "64")));

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
