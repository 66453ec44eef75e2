using TenantCache.Internal;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Engine;

/// <summary>The engine over a three-node cluster while a node dies, comes back empty, or freezes.</summary>
public sealed class ClusterFailureEngineTests : IAsyncLifetime
{
    private MemcachedServer[] _nodes = [];
    private MemcachedCacheStore _store = null!;
    private ApplicationCache _app = null!;

    public async Task InitializeAsync()
    {
        _nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MemcachedServer.StartAsync("-m", "64")));
        _store = new MemcachedCacheStore(new MemcachedOptions
        {
            Servers = string.Join(',', _nodes.Select(n => n.Endpoint)),
            OperationTimeout = TimeSpan.FromMilliseconds(1500),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        });
        _app = new ApplicationCache(_store, new TenantCacheOptions { Application = "fail" });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_killed_node_makes_its_scopes_misses_without_exceptions_and_its_return_resurrects_nothing()
    {
        const int tenants = 30;
        for (var i = 0; i < tenants; i++)
        {
            await _app.Tenant("t" + i).SetAsync("k", "v" + i, TimeSpan.FromMinutes(5));
        }

        // Stale entries: written, then invalidated. They must stay dead whatever happens to the nodes.
        for (var i = 0; i < tenants; i += 3)
        {
            await _app.Tenant("t" + i).InvalidateAsync();
        }

        // The victim is a node that does not hold the application's own version key (if it did, the
        // whole application would be uncached while it is down, which is right but shows less).
        var appKeyNode = _store.Client.Locate(ScopePath.ForApplication("fail").VersionKeys[0]);
        var victim = _nodes.First(n => !ServerEndpoint.Parse(n.Endpoint).Equals(appKeyNode));
        var victimEndpoint = ServerEndpoint.Parse(victim.Endpoint);
        bool Touches(int i)
        {
            var path = ScopePath.ForApplication("fail").Child("t" + i);
            return path.VersionKeys.Any(k => _store.Client.Locate(k).Equals(victimEndpoint))
                || _store.Client.Locate(KeyEncoder.Bound(path.CanonicalDataKey("k"))).Equals(victimEndpoint);
        }

        Assert.Contains(Enumerable.Range(0, tenants), Touches);
        Assert.Contains(Enumerable.Range(0, tenants), i => !Touches(i) && i % 3 != 0);

        victim.Kill();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < tenants; i++)
            {
                var read = await _app.Tenant("t" + i).GetAsync<string>("k").AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                if (i % 3 == 0 || Touches(i))
                {
                    Assert.False(read.HasValue, $"t{i} must be a miss while its node is down or after its invalidation");
                }
                else
                {
                    Assert.Equal("v" + i, read.Value);
                }
            }
        }

        // Writes fail open; invalidations of a scope whose token is unreachable throw.
        var down = Enumerable.Range(0, tenants).First(i => ScopePath.ForApplication("fail").Child("t" + i).VersionKeys[1] is var key
            && _store.Client.Locate(key).Equals(victimEndpoint));
        await _app.Tenant("t" + down).SetAsync("k", "during-outage");
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await _app.Tenant("t" + down).InvalidateAsync());

        // The node comes back empty: every token it held is gone, so entries stamped with them stay misses.
        await victim.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var i = 0; i < tenants; i++)
        {
            var read = await _app.Tenant("t" + i).GetAsync<string>("k");
            if (i % 3 == 0)
            {
                Assert.False(read.HasValue, $"invalidated t{i} came back");
            }
            else if (read.HasValue)
            {
                Assert.Equal("v" + i, read.Value); // a hit is always the right value
            }
        }

        // And the cache works again for that tenant once the node is back.
        while (true)
        {
            await _app.Tenant("t" + down).SetAsync("k", "after");
            if ((await _app.Tenant("t" + down).GetAsync<string>("k")).HasValue)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the restarted node was not used again within 10 s");
            await Task.Delay(100);
        }

        Assert.Equal("after", (await _app.Tenant("t" + down).GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_frozen_node_times_out_within_bound_and_no_call_hangs_or_throws()
    {
        for (var i = 0; i < 12; i++)
        {
            await _app.Tenant("p" + i).SetAsync("k", "v" + i);
        }

        _nodes[2].Pause();
        try
        {
            var started = DateTime.UtcNow;
            var reads = Enumerable.Range(0, 12).Select(i => _app.Tenant("p" + i).GetAsync<string>("k").AsTask()).ToArray();
            var results = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8), "reads took far longer than the 1.5 s timeout allows");
            for (var i = 0; i < 12; i++)
            {
                Assert.True(!results[i].HasValue || results[i].Value == "v" + i);
            }

            await _app.Tenant("p0").GetOrCreateAsync("other", _ => ValueTask.FromResult("computed")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _nodes[2].Resume();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Enumerable.Range(0, 12).Count(i => _app.Tenant("p" + i).GetAsync<string>("k").AsTask().Result.HasValue) < 12)
        {
            Assert.True(DateTime.UtcNow < deadline, "the cluster did not recover within 10 s of SIGCONT");
            await Task.Delay(100);
        }
    }
}
