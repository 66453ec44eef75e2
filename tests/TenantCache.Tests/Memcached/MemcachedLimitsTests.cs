using System.Text;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>Keys, values and TTLs the server would refuse are rejected before sending; the connection keeps working.</summary>
public sealed class MemcachedLimitsTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private MemcachedClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new MemcachedClient(TestOptions.Relaxed(fixture.Server.Endpoint));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Theory(Timeout = 30_000)]
    [InlineData(0u)]
    [InlineData(5u)]
    public async Task Largest_value_is_stored_and_one_byte_more_is_rejected_before_sending(uint flags)
    {
        var key = TestKeys.Unique();
        await _client.PingAsync(_client.Servers[0]);
        var max = 2 * 1024 * 1024 - 59 - key.Length - (flags != 0 ? 4 : 0);
        Assert.Equal(MemcachedStoreResult.Stored, await _client.SetAsync(key, new byte[max], clientFlags: flags));
        Assert.Equal(max, (await _client.GetAsync(key)).Value.Length);

        await Assert.ThrowsAsync<ArgumentException>(async () => await _client.SetAsync(key, new byte[max + 1], clientFlags: flags));
        Assert.Equal(MemcachedStoreResult.Stored, await _client.SetAsync(key, "small"u8.ToArray()));
        Assert.Equal("small", Encoding.ASCII.GetString((await _client.GetAsync(key)).Value.Span));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("new\r\nline")]
    [InlineData("caf\u00e9")]
    [InlineData("\u007f")]
    public async Task Invalid_keys_are_rejected_and_the_connection_still_works(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await _client.SetAsync(key, "x"u8.ToArray()));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await _client.GetAsync(key));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await _client.GetManyAsync(["ok", key]));
        var good = TestKeys.Unique();
        await _client.SetAsync(good, "y"u8.ToArray());
        Assert.True((await _client.GetAsync(good)).Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Keys_of_250_bytes_work_and_251_are_rejected()
    {
        string longest = new('k', 250);
        Assert.Equal(MemcachedStoreResult.Stored, await _client.SetAsync(longest, "x"u8.ToArray()));
        Assert.True((await _client.GetAsync(longest)).Found);
        await Assert.ThrowsAsync<ArgumentException>(async () => await _client.GetAsync(new string('k', 251)));
        Assert.True((await _client.GetAsync(longest)).Found);
    }

    [Fact(Timeout = 30_000)]
    public async Task Negative_or_too_far_ttl_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _client.SetAsync("k", "x"u8.ToArray(), TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _client.SetAsync("k", "x"u8.ToArray(), TimeSpan.FromDays(365 * 50)));
    }
}
