using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

public sealed class MemcachedDistributedCacheTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private MemcachedClient _client = null!;
    private MemcachedDistributedCache _cache = null!;

    public Task InitializeAsync()
    {
        _client = new MemcachedClient(TestOptions.Relaxed(fixture.Server.Endpoint));
        _cache = new MemcachedDistributedCache(_client, _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact(Timeout = 30_000)]
    public async Task Set_get_remove()
    {
        string key = TestKeys.Unique();
        Assert.Null(await _cache.GetAsync(key));
        await _cache.SetAsync(key, "hello"u8.ToArray(), new DistributedCacheEntryOptions());
        Assert.Equal("hello", Encoding.ASCII.GetString((await _cache.GetAsync(key))!));
        Assert.Equal("hello", Encoding.ASCII.GetString(_cache.Get(key)!));
        await _cache.RemoveAsync(key);
        Assert.Null(_cache.Get(key));
    }

    [Fact(Timeout = 30_000)]
    public async Task Keys_that_are_not_memcached_keys_are_hashed()
    {
        string key = "a key with spaces and ünïcode " + new string('x', 300);
        _cache.Set(key, "v"u8.ToArray(), new DistributedCacheEntryOptions());
        Assert.Equal("v", Encoding.ASCII.GetString(_cache.Get(key)!));
        Assert.Null(_cache.Get(key + "!"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Relative_and_absolute_expiration_set_the_ttl()
    {
        string relative = TestKeys.Unique();
        await _cache.SetAsync(relative, "v"u8.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2) });
        Assert.InRange((await _client.GetAsync(relative)).RemainingTtl!.Value.TotalSeconds, 110, 120);

        string absolute = TestKeys.Unique();
        await _cache.SetAsync(absolute, "v"u8.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpiration = _clock.GetUtcNow().AddMinutes(3) });
        Assert.InRange((await _client.GetAsync(absolute)).RemainingTtl!.Value.TotalSeconds, 170, 180);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _cache.SetAsync(absolute, "v"u8.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpiration = _clock.GetUtcNow().AddMinutes(-1) }));
    }

    [Fact(Timeout = 30_000)]
    public async Task Sliding_expiration_is_extended_by_reads_and_refresh_but_not_past_absolute()
    {
        string key = TestKeys.Unique();
        await _cache.SetAsync(key, "v"u8.ToArray(), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30),
        });
        Assert.InRange((await _client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 590, 600);

        await _client.TouchAsync(key, TimeSpan.FromMinutes(1));
        Assert.NotNull(await _cache.GetAsync(key));
        Assert.InRange((await _client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 590, 600);

        await _client.TouchAsync(key, TimeSpan.FromMinutes(1));
        await _cache.RefreshAsync(key);
        Assert.InRange((await _client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 590, 600);

        _clock.Advance(TimeSpan.FromMinutes(25));
        _cache.Refresh(key);
        Assert.InRange((await _client.GetAsync(key)).RemainingTtl!.Value.TotalSeconds, 290, 300);
    }
}
