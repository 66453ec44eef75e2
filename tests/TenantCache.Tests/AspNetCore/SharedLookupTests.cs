using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using TenantCache.AspNetCore.Internal;
using TenantCache.AspNetCore.OutputCaching;
using TenantCache.Stores;

namespace TenantCache.Tests.AspNetCore;

/// <summary>
/// The middleware coalesces concurrent requests of a key into one lookup and one computation, which
/// may run in different requests: the computing request must still store, stamped with tokens read
/// before it began — never with tokens read later.
/// </summary>
public sealed class SharedLookupTests
{
    private readonly HttpContextAccessor _http = new();
    private readonly ApplicationCache _cache = new(new MemoryCacheStore(), new TenantCacheOptions { Application = "shared-" + Guid.NewGuid().ToString("N")[..8] });
    private readonly TenantOutputCacheStore _store;
    private readonly string _key = TenantKeyPrefix.Create("acme") + "\u001eGET\u001eHTTP\u001eORIGIN/INFO";

    public SharedLookupTests() =>
        _store = new TenantOutputCacheStore(_cache, Options.Create(new TenantOutputCacheOptions()), _http);

    private async Task<HttpContext> RequestReachingTheCacheAsync()
    {
        var context = new DefaultHttpContext();
        await new OutputCacheContextCapture().CacheRequestAsync(new OutputCacheContext { HttpContext = context }, default);
        return context;
    }

    [Fact]
    public async Task A_request_that_joined_another_requests_lookup_stores_the_response_it_computed()
    {
        var owner = await RequestReachingTheCacheAsync();
        _http.HttpContext = owner;
        Assert.Null(await _store.GetAsync(_key, default)); // the owner's lookup: a miss
        await Task.Delay(1);
        var joiner = await RequestReachingTheCacheAsync(); // arrives during it, awaits it, then wins the computation

        _http.HttpContext = joiner;
        await _store.SetAsync(_key, [1, 2, 3], null, TimeSpan.FromMinutes(1), default);

        _http.HttpContext = owner;
        Assert.Equal(new byte[] { 1, 2, 3 }, await _store.GetAsync(_key, default));
    }

    [Fact]
    public async Task An_invalidation_between_the_shared_lookup_and_the_joiners_write_wins()
    {
        _http.HttpContext = await RequestReachingTheCacheAsync();
        Assert.Null(await _store.GetAsync(_key, default));
        await Task.Delay(1);
        var joiner = await RequestReachingTheCacheAsync();
        await _store.EvictByTagAsync("tenant:acme", default);

        _http.HttpContext = joiner;
        await _store.SetAsync(_key, [1], null, TimeSpan.FromMinutes(1), default);
        Assert.Null(await _store.GetAsync(_key, default));
    }

    [Fact]
    public async Task A_lookup_that_began_after_a_request_reached_the_cache_is_never_used_for_that_request()
    {
        // Its tokens may have been read after that request's computation began (I1): not stored.
        var early = await RequestReachingTheCacheAsync();
        await Task.Delay(1);
        _http.HttpContext = await RequestReachingTheCacheAsync();
        Assert.Null(await _store.GetAsync(_key, default));

        _http.HttpContext = early;
        await _store.SetAsync(_key, [9], null, TimeSpan.FromMinutes(1), default);
        Assert.Null(await _store.GetAsync(_key, default));
    }
}
