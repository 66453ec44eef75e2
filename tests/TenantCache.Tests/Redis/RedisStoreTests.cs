using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using TenantCache.Redis;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>The store port on a real Redis 7.0: modes, CAS, flags, expiry, touch, bad input, foreign data, failures.</summary>
public sealed class RedisStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("value");

    private static string NewKey() => "redis-test:" + Guid.NewGuid().ToString("N");

    private static async Task<StoreItem> ReadAsync(RedisCacheStore store, string key)
    {
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        return items[0];
    }

    [Fact]
    public async Task A_write_reads_back_with_its_flags_and_a_cas_that_changes_with_every_write()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, Value, StoreSetMode.Set, null, flags: 0xDEADBEEF, cas: 0));
        var first = await ReadAsync(store, key);
        Assert.True(first.Found);
        Assert.Equal(Value, first.Value.ToArray());
        Assert.Equal(0xDEADBEEFu, first.Flags);
        Assert.NotEqual(0ul, first.Cas);

        await store.SetAsync(key, Value, StoreSetMode.Set, null);
        var second = await ReadAsync(store, key);
        Assert.NotEqual(first.Cas, second.Cas);
        Assert.Equal(0u, second.Flags);
    }

    [Fact]
    public async Task Add_and_replace_store_only_where_the_key_is_absent_or_present()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync(key, Value, StoreSetMode.Replace, null));
        Assert.False((await ReadAsync(store, key)).Found);
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, Value, StoreSetMode.Add, null));
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync(key, "other"u8.ToArray(), StoreSetMode.Add, null));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, "replaced"u8.ToArray(), StoreSetMode.Replace, null));
        Assert.Equal("replaced", Encoding.UTF8.GetString((await ReadAsync(store, key)).Value.Span));
    }

    [Fact]
    public async Task A_cas_write_stores_only_over_the_item_it_read()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        await store.SetAsync(key, Value, StoreSetMode.Set, null);
        var read = await ReadAsync(store, key);

        Assert.Equal(StoreSetResult.Conflict, await store.SetAsync(key, "stale"u8.ToArray(), StoreSetMode.Set, null, 7, read.Cas ^ 1));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, "won"u8.ToArray(), StoreSetMode.Set, TimeSpan.FromMinutes(1), 7, read.Cas));
        Assert.Equal(StoreSetResult.Conflict, await store.SetAsync(key, "late"u8.ToArray(), StoreSetMode.Set, null, 7, read.Cas)); // the CAS moved on
        var now = await ReadAsync(store, key);
        Assert.Equal(("won", 7u), (Encoding.UTF8.GetString(now.Value.Span), now.Flags));
        Assert.Equal(StoreSetResult.Conflict, await store.SetAsync(NewKey(), Value, StoreSetMode.Set, null, 0, read.Cas)); // no item: no CAS matches
    }

    [Fact]
    public async Task Expiry_touch_and_delete_behave_as_the_port_says()
    {
        await using var store = fixture.NewStore();
        var key = NewKey();
        await store.SetAsync(key, Value, StoreSetMode.Set, TimeSpan.FromMilliseconds(300));
        Assert.True((await ReadAsync(store, key)).Found);
        await Eventually.TrueAsync(async () => !(await ReadAsync(store, key)).Found, TimeSpan.FromSeconds(5));

        await store.SetAsync(key, Value, StoreSetMode.Set, TimeSpan.FromMilliseconds(300));
        Assert.True(await store.TouchAsync(key, null)); // no expiry any more
        await Task.Delay(600);
        Assert.True((await ReadAsync(store, key)).Found);
        Assert.True(await store.TouchAsync(key, TimeSpan.FromMinutes(5)));
        var ttl = await store.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.False(await store.TouchAsync(NewKey(), TimeSpan.FromMinutes(1)));

        Assert.True(await store.DeleteAsync(key));
        Assert.False(await store.DeleteAsync(key));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, Value, StoreSetMode.Set, TimeSpan.Zero)); // zero: already expired
        await Eventually.TrueAsync(async () => !(await ReadAsync(store, key)).Found, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_batch_reads_every_key_in_order_and_a_string_not_written_by_the_store_is_a_miss()
    {
        await using var store = fixture.NewStore();
        var keys = Enumerable.Range(0, 50).Select(_ => NewKey()).ToArray();
        for (var i = 0; i < keys.Length; i += 2)
        {
            await store.SetAsync(keys[i], Encoding.UTF8.GetBytes("v" + i), StoreSetMode.Set, null);
        }

        var foreign = NewKey();
        await store.Connection.GetDatabase().StringSetAsync(foreign, "TOO SHORT");
        var forged = NewKey();
        await store.Connection.GetDatabase().StringSetAsync(forged, "Xaaaaaaaabbbbpayload"); // the right length, not our mark

        var all = keys.Append(foreign).Append(forged).ToArray();
        var items = new StoreItem[all.Length];
        await store.GetManyAsync(all, items);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(i % 2 == 0, items[i].Found);
            if (i % 2 == 0)
            {
                Assert.Equal("v" + i, Encoding.UTF8.GetString(items[i].Value.Span));
            }
        }

        Assert.False(items[^2].Found);
        Assert.False(items[^1].Found);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tkey")]
    [InlineData("é")]
    public async Task Bad_keys_are_refused_before_anything_is_sent(string key)
    {
        await using var store = fixture.NewStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(key, Value, StoreSetMode.Set, null));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetManyAsync(new[] { key }, new StoreItem[1]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.DeleteAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TouchAsync(key, null));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(new string('k', 251), Value, StoreSetMode.Set, null));
    }

    [Fact]
    public async Task Oversize_values_negative_expiries_and_invalid_options_are_typed_errors()
    {
        await using var store = fixture.NewStore(maxValueLength: 1000);
        await Assert.ThrowsAsync<CacheValueTooLargeException>(async () => await store.SetAsync(NewKey(), new byte[1001], StoreSetMode.Set, null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SetAsync(NewKey(), Value, StoreSetMode.Set, TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(NewKey(), Value, StoreSetMode.Add, null, 0, cas: 5));
        Assert.Throws<ArgumentException>(() => new RedisCacheStore(new RedisStoreOptions()));
        Assert.Throws<ArgumentException>(() => new RedisCacheStore(new RedisStoreOptions { Configuration = fixture.Server.Endpoint, MaxValueLength = 0 }));
        Assert.Throws<ArgumentException>(() => new RedisCacheStore(new RedisStoreOptions { Configuration = fixture.Server.Endpoint, Database = 16 }));
    }

    [Fact]
    public void An_unreachable_server_is_a_store_error_at_startup()
    {
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var error = Assert.Throws<CacheStoreException>(() => new RedisCacheStore(new RedisStoreOptions { Configuration = $"127.0.0.1:{port},connectTimeout=1000" }));
        Assert.IsType<RedisConnectionException>(error.InnerException);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_paused_server_makes_calls_fail_or_cancel_in_bounded_time_and_they_work_again_after()
    {
        await using var server = await TenantCache.Harness.RedisProcess.StartAsync();
        await using var store = new RedisCacheStore(new RedisStoreOptions { Configuration = server.Endpoint + ",asyncTimeout=500,syncTimeout=500" });
        var key = NewKey();
        await store.SetAsync(key, Value, StoreSetMode.Set, null);

        server.Pause();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetManyAsync(new[] { key }, new StoreItem[1], cancel.Token));
            await Assert.ThrowsAsync<CacheStoreException>(async () => await store.GetManyAsync(new[] { key }, new StoreItem[1]));
        }
        finally
        {
            server.Resume();
        }

        await Eventually.TrueAsync(async () => (await ReadAsync(store, key)).Found, TimeSpan.FromSeconds(10));
    }
}
