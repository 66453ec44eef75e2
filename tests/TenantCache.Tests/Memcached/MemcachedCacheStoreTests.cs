using System.Text;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

public sealed class MemcachedCacheStoreTests(MemcachedClusterFixture cluster) : IClassFixture<MemcachedClusterFixture>, IAsyncLifetime
{
    private MemcachedCacheStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new MemcachedCacheStore(TestOptions.Relaxed(cluster.Servers));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task Get_many_across_three_nodes_returns_every_key_in_place_from_its_ketama_node()
    {
        var keys = Enumerable.Range(0, 120).Select(i => TestKeys.Unique("gm" + i)).ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            if (i % 3 != 0)
            {
                Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(keys[i], Encoding.ASCII.GetBytes("value" + i), StoreSetMode.Set, TimeSpan.FromMinutes(5)));
            }
        }

        var results = new StoreItem[keys.Length];
        await _store.GetManyAsync(keys, results);

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(i % 3 != 0, results[i].Found);
            if (results[i].Found)
            {
                Assert.Equal("value" + i, Encoding.ASCII.GetString(results[i].Value.Span));
            }
        }

        var used = keys.Select(k => _store.Client.Locate(k).ToString()).Distinct().ToArray();
        Assert.Equal(3, used.Length);

        // Each key lives on the node ketama names, and only there.
        foreach (var node in cluster.Nodes)
        {
            await using var direct = new MemcachedClient(TestOptions.Relaxed(node.Endpoint));
            var items = await direct.GetManyAsync(keys);
            for (var i = 0; i < keys.Length; i++)
            {
                var owner = _store.Client.Locate(keys[i]).ToString() == node.Endpoint;
                Assert.Equal(owner && i % 3 != 0, items[i].Found);
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Add_and_replace_semantics()
    {
        var key = TestKeys.Unique();
        Assert.Equal(StoreSetResult.NotStored, await _store.SetAsync(key, "r"u8.ToArray(), StoreSetMode.Replace, null));
        Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(key, "a"u8.ToArray(), StoreSetMode.Add, null));
        Assert.Equal(StoreSetResult.NotStored, await _store.SetAsync(key, "b"u8.ToArray(), StoreSetMode.Add, null));
        Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(key, "c"u8.ToArray(), StoreSetMode.Replace, null));
        Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(key, "d"u8.ToArray(), StoreSetMode.Set, null));
        var results = new StoreItem[1];
        await _store.GetManyAsync(new[] { key }, results);
        Assert.Equal("d", Encoding.ASCII.GetString(results[0].Value.Span));
    }

    [Fact(Timeout = 30_000)]
    public async Task Expiry_null_never_expires_and_ttl_is_applied()
    {
        var forever = TestKeys.Unique();
        var shortLived = TestKeys.Unique();
        await _store.SetAsync(forever, "x"u8.ToArray(), StoreSetMode.Set, null);
        await _store.SetAsync(shortLived, "x"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(90));
        Assert.Null((await _store.Client.GetAsync(forever)).RemainingTtl);
        Assert.InRange((await _store.Client.GetAsync(shortLived)).RemainingTtl!.Value.TotalSeconds, 90, 91); // padded by memcached's 1 s tick
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _store.SetAsync(forever, "x"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromSeconds(-1)));

        // Past 2038 memcached cannot represent the time: like the in-process store, that means never.
        var farAway = TestKeys.Unique();
        Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(farAway, "x"u8.ToArray(), StoreSetMode.Set, TimeSpan.MaxValue));
        Assert.Null((await _store.Client.GetAsync(farAway)).RemainingTtl);
        Assert.True(await _store.TouchAsync(farAway, TimeSpan.FromDays(365 * 100)));

        // Zero means already expired, as in the in-process store.
        var gone = TestKeys.Unique();
        await _store.SetAsync(gone, "x"u8.ToArray(), StoreSetMode.Set, TimeSpan.Zero);
        Assert.False((await _store.Client.GetAsync(gone)).Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Delete_and_touch()
    {
        var key = TestKeys.Unique();
        Assert.False(await _store.DeleteAsync(key));
        Assert.False(await _store.TouchAsync(key, TimeSpan.FromMinutes(1)));
        await _store.SetAsync(key, "x"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromMinutes(1));
        Assert.True(await _store.TouchAsync(key, TimeSpan.FromMinutes(10)));
        Assert.InRange((await _store.Client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 600, 601); // padded by memcached's 1 s tick
        Assert.True(await _store.DeleteAsync(key));
        var results = new StoreItem[1];
        await _store.GetManyAsync(new[] { key }, results);
        Assert.False(results[0].Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Max_value_length_is_enforced_before_sending()
    {
        Assert.True(_store.MaxValueLength is > 1_000_000 and < 1_048_576);
        var key = TestKeys.Unique();
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.SetAsync(key, new byte[_store.MaxValueLength + 400], StoreSetMode.Set, null));
        Assert.Equal(StoreSetResult.Stored, await _store.SetAsync(key, new byte[_store.MaxValueLength], StoreSetMode.Set, null));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.SetAsync("bad key", "x"u8.ToArray(), StoreSetMode.Set, null));
    }

    [Fact(Timeout = 30_000)]
    public async Task Results_shorter_than_keys_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.GetManyAsync(new[] { "a", "b" }, new StoreItem[1]));
    }
}
