using System.Text;
using TenantCache.Stores;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>The layout on a 3-primary Redis Cluster: one tenant's keys on every shard, batched reads across them, scripts routed by key.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task One_tenants_entries_spread_over_every_primary_and_one_batch_reads_across_them()
    {
        await using var store = fixture.NewStore();
        var tenant = new ApplicationCache(store, new TenantCacheOptions { Application = "spread-" + Guid.NewGuid().ToString("N")[..8] }).Tenant("one-tenant");
        for (var i = 0; i < 60; i++)
        {
            await tenant.SetAsync("k" + i, "v" + i);
        }

        // Every primary holds some of this one tenant's keys: no shard is the tenant's.
        foreach (var node in fixture.Cluster.Nodes)
        {
            var server = store.Connection.GetServer(node.Endpoint);
            Assert.True(await server.DatabaseSizeAsync() > 0, $"{node} holds none of the tenant's keys");
        }

        for (var i = 0; i < 60; i++)
        {
            Assert.Equal("v" + i, (await tenant.GetAsync<string>("k" + i)).Value); // version key and data key on different shards: one read each
        }

        var keys = Enumerable.Range(0, 30).Select(i => $"batch:{i}:{Guid.NewGuid():N}").ToArray();
        foreach (var key in keys)
        {
            await store.SetAsync(key, Encoding.UTF8.GetBytes(key), StoreSetMode.Set, null);
        }

        var items = new StoreItem[keys.Length];
        await store.GetManyAsync(keys, items); // keys on all three shards in one call: no CROSSSLOT
        Assert.All(items.Zip(keys), p => Assert.Equal(p.Second, Encoding.UTF8.GetString(p.First.Value.Span)));

        var read = items[0];
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(keys[0], "cas"u8.ToArray(), StoreSetMode.Set, null, 1, read.Cas)); // a script, routed by its key
        Assert.True(await store.TouchAsync(keys[1], TimeSpan.FromMinutes(1)));
    }
}
