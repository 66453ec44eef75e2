using System.Text;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

public sealed class MemcachedClientTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private MemcachedClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new MemcachedClient(TestOptions.Relaxed(fixture.Server.Endpoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact(Timeout = 30_000)]
    public async Task Set_then_get_returns_value_flags_cas_and_ttl()
    {
        var key = TestKeys.Unique();
        Assert.Equal(MemcachedStoreResult.Stored, await _client.SetAsync(key, "hello"u8.ToArray(), TimeSpan.FromMinutes(5), clientFlags: 77));

        var item = await _client.GetAsync(key);

        Assert.True(item.Found);
        Assert.Equal("hello", Encoding.ASCII.GetString(item.Value.Span));
        Assert.Equal(77u, item.ClientFlags);
        Assert.NotEqual(0ul, item.Cas);
        Assert.NotNull(item.RemainingTtl);
        Assert.InRange(item.RemainingTtl!.Value.TotalSeconds, 290, 300);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_of_missing_key_is_a_miss_and_no_expiry_has_null_ttl()
    {
        Assert.False((await _client.GetAsync(TestKeys.Unique())).Found);
        var key = TestKeys.Unique();
        await _client.SetAsync(key, new byte[] { 1, 2, 3 });
        var item = await _client.GetAsync(key);
        Assert.Null(item.RemainingTtl);
        Assert.Equal(new byte[] { 1, 2, 3 }, item.Value.ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task Empty_and_binary_values_round_trip()
    {
        var empty = TestKeys.Unique();
        await _client.SetAsync(empty, ReadOnlyMemory<byte>.Empty);
        var item = await _client.GetAsync(empty);
        Assert.True(item.Found);
        Assert.Equal(0, item.Value.Length);

        var binary = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 256)).ToArray();
        var big = TestKeys.Unique();
        await _client.SetAsync(big, binary);
        Assert.Equal(binary, (await _client.GetAsync(big)).Value.ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task Add_and_replace_follow_their_conditions()
    {
        var key = TestKeys.Unique();
        Assert.Equal(MemcachedStoreResult.NotStored, await _client.ReplaceAsync(key, "x"u8.ToArray()));
        Assert.Equal(MemcachedStoreResult.Stored, await _client.AddAsync(key, "a"u8.ToArray()));
        Assert.Equal(MemcachedStoreResult.NotStored, await _client.AddAsync(key, "b"u8.ToArray()));
        Assert.Equal("a", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span));
        Assert.Equal(MemcachedStoreResult.Stored, await _client.ReplaceAsync(key, "c"u8.ToArray()));
        Assert.Equal("c", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span));
    }

    [Fact(Timeout = 30_000)]
    public async Task Compare_and_swap_detects_changes()
    {
        var key = TestKeys.Unique();
        Assert.Equal(MemcachedStoreResult.NotFound, await _client.CompareAndSwapAsync(key, "x"u8.ToArray(), 12345));
        await _client.SetAsync(key, "v1"u8.ToArray());
        var read = await _client.GetAsync(key);
        Assert.Equal(MemcachedStoreResult.Stored, await _client.CompareAndSwapAsync(key, "v2"u8.ToArray(), read.Cas));
        Assert.Equal(MemcachedStoreResult.Exists, await _client.CompareAndSwapAsync(key, "v3"u8.ToArray(), read.Cas));
        Assert.Equal("v2", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span));
    }

    [Fact(Timeout = 30_000)]
    public async Task Delete_reports_whether_the_key_existed()
    {
        var key = TestKeys.Unique();
        Assert.False(await _client.DeleteAsync(key));
        await _client.SetAsync(key, "x"u8.ToArray());
        Assert.True(await _client.DeleteAsync(key));
        Assert.False((await _client.GetAsync(key)).Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Touch_resets_the_ttl()
    {
        var key = TestKeys.Unique();
        Assert.False(await _client.TouchAsync(key, TimeSpan.FromMinutes(1)));
        await _client.SetAsync(key, "x"u8.ToArray(), TimeSpan.FromMinutes(1));
        Assert.True(await _client.TouchAsync(key, TimeSpan.FromHours(1)));
        Assert.InRange((await _client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 3590, 3600);
        Assert.True(await _client.TouchAsync(key, null));
        Assert.Null((await _client.GetAsync(key)).RemainingTtl);
    }

    [Fact(Timeout = 30_000)]
    public async Task Zero_ttl_stores_an_already_expired_item()
    {
        var key = TestKeys.Unique();
        Assert.Equal(MemcachedStoreResult.Stored, await _client.SetAsync(key, "x"u8.ToArray(), TimeSpan.Zero));
        Assert.False((await _client.GetAsync(key)).Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ttl_over_30_days_is_sent_as_absolute_time_from_the_time_provider()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(10));
        await using var client = new MemcachedClient(TestOptions.Relaxed(fixture.Server.Endpoint), timeProvider: clock);
        var key = TestKeys.Unique();
        await client.SetAsync(key, "x"u8.ToArray(), TimeSpan.FromDays(31));
        var left = (await client.GetAsync(key)).RemainingTtl!.Value;
        Assert.InRange(left.TotalDays, 40.9, 41.01);
    }

    [Fact(Timeout = 30_000)]
    public async Task Short_ttl_expires()
    {
        // memcached's clock ticks once a second, so a TTL of N s lasts N - 1 to N s: with 1 s the item
        // may already be gone at the first read (a flaky precondition); 2 s is there for at least 1 s.
        var key = TestKeys.Unique();
        await _client.SetAsync(key, "x"u8.ToArray(), TimeSpan.FromSeconds(2));
        Assert.True((await _client.GetAsync(key)).Found);
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((await _client.GetAsync(key)).Found)
        {
            Assert.True(DateTime.UtcNow < until, "an item with a 2 s TTL was still there after 10 s");
            await Task.Delay(200);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Increment_and_decrement()
    {
        var key = TestKeys.Unique();
        Assert.Null(await _client.IncrementAsync(key));
        Assert.Equal(10ul, await _client.IncrementAsync(key, 5, initialValue: 10));
        Assert.Equal(15ul, await _client.IncrementAsync(key, 5));
        Assert.Equal(9ul, await _client.DecrementAsync(key, 6));
        Assert.Equal("9", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span).TrimEnd());
        Assert.Equal(0ul, await _client.DecrementAsync(key, 100));
        Assert.Null(await _client.DecrementAsync(TestKeys.Unique()));
    }

    [Fact(Timeout = 30_000)]
    public async Task Increment_of_non_number_fails_that_request_only()
    {
        var key = TestKeys.Unique();
        await _client.SetAsync(key, "abc"u8.ToArray());
        var error = await Assert.ThrowsAsync<MemcachedException>(async () => await _client.IncrementAsync(key));
        Assert.Contains("non-numeric", error.Message);
        Assert.Equal("abc", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span));
    }

    [Fact(Timeout = 30_000)]
    public async Task Server_settings_report_item_size_max_and_raise_the_limit()
    {
        var settings = await _client.GetServerSettingsAsync(_client.Servers[0]);
        Assert.Equal("2097152", settings["item_size_max"]);
        Assert.True(_client.MaxValueLength > 2_000_000);
        await _client.PingAsync(_client.Servers[0]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_many_returns_each_key_in_place()
    {
        var keys = Enumerable.Range(0, 50).Select(i => TestKeys.Unique("many" + i)).ToArray();
        for (var i = 0; i < keys.Length; i += 2)
        {
            await _client.SetAsync(keys[i], Encoding.ASCII.GetBytes("v" + i));
        }

        var items = await _client.GetManyAsync(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(i % 2 == 0, items[i].Found);
            if (i % 2 == 0)
            {
                Assert.Equal("v" + i, Encoding.ASCII.GetString(items[i].Value.Span));
            }
        }
    }
}
