using TenantCache.Harness;
using TenantCache.Redis;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>The engine over a Redis that is restarted empty, killed or paused: misses and typed errors, never an old value, and it comes back.</summary>
public sealed class RedisFaultTests
{
    private static ICacheScope Tenant(RedisCacheStore store) =>
        new ApplicationCache(store, new TenantCacheOptions { Application = "faults-" + Guid.NewGuid().ToString("N")[..8], OperationTimeout = TimeSpan.FromMilliseconds(500) }).Tenant("t");

    private static RedisCacheStore Store(RedisProcess server) =>
        new(new RedisStoreOptions { Configuration = server.Endpoint + ",abortConnect=false,connectTimeout=1000,asyncTimeout=500" });

    /// <summary>Writes a value until it reads back: with abortConnect=false the store starts before its connection is up, and writes fail open until then.</summary>
    private static Task WrittenAsync(ICacheScope tenant, string key, string value) =>
        Eventually.TrueAsync(async () =>
        {
            await tenant.SetAsync(key, value);
            return (await tenant.GetAsync<string>(key)) is { HasValue: true } read && read.Value == value;
        }, TimeSpan.FromSeconds(20));

    [Fact(Timeout = 60_000)]
    public async Task A_restart_empty_loses_entries_and_tokens_but_serves_nothing_old_and_works_again()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var store = Store(server);
        var tenant = Tenant(store);
        await WrittenAsync(tenant, "k", "before");

        await server.RestartAsync(); // empty: no persistence
        await WrittenAsync(tenant, "probe", "p");

        Assert.False((await tenant.GetAsync<string>("k")).HasValue); // gone with its token: a miss, never "before"
        await tenant.SetAsync("k", "after");
        Assert.Equal("after", (await tenant.GetAsync<string>("k")).Value);
        await tenant.InvalidateAsync();
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_killed_server_makes_reads_miss_and_invalidations_throw_then_a_new_one_is_used()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var store = Store(server);
        var tenant = Tenant(store);
        await WrittenAsync(tenant, "k", "v");

        server.Kill();
        Assert.False((await tenant.GetAsync<string>("k")).HasValue); // fail open: a miss
        await tenant.SetAsync("k", "lost"); // fail open: skipped
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await tenant.InvalidateAsync()); // never a silent non-invalidation
        Assert.Equal("computed", await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("computed")));

        await server.RestartAsync();
        await WrittenAsync(tenant, "k", "back");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_paused_server_makes_calls_end_within_the_operation_timeout()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var store = Store(server);
        var tenant = Tenant(store);
        await WrittenAsync(tenant, "k", "v");

        server.Pause();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.False((await tenant.GetAsync<string>("k")).HasValue);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"a read took {watch.Elapsed} against a paused server");
        }
        finally
        {
            server.Resume();
        }

        await Eventually.TrueAsync(async () => (await tenant.GetAsync<string>("k")).HasValue, TimeSpan.FromSeconds(20));
    }
}
