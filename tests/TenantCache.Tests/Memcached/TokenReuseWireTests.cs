using System.Diagnostics;
using TenantCache.Internal;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Memcached;

/// <summary>The token reuse window on a real memcached: what is on the wire, and processes with different windows.</summary>
public sealed class TokenReuseWireTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    private ApplicationCache Process(string application, TimeSpan window, MemcachedClient client) =>
        new(new MemcachedCacheStore(client), new TenantCacheOptions { Application = application, TokenReuseWindow = window });

    [Fact]
    public async Task A_token_carries_its_writers_window_in_its_flags_and_stays_eight_bytes()
    {
        await using var client = new MemcachedClient(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var application = "wire-" + Guid.NewGuid().ToString("N")[..8];
        await Process(application, TimeSpan.FromMilliseconds(750), client).Tenant("t").SetAsync("k", "v");

        var path = ScopePath.ForApplication(application).Child("t");
        var tenantToken = await client.GetAsync(path.VersionKeys[1]);
        Assert.Equal(8, tenantToken.Value.Length); // older versions read it as before
        Assert.Equal((0x54u << 24) | (1000u << 12) | 750, tenantToken.ClientFlags); // R = 750 ms; W = 1 s: a vanished predecessor may be in use

        await Process(application, TimeSpan.Zero, client).Tenant("t").InvalidateAsync(); // waits W, then lowers its own token's W
        await Task.Delay(200);
        Assert.Equal(0x54u << 24, (await client.GetAsync(path.VersionKeys[1])).ClientFlags); // a zero window: R = W = 0
    }

    [Fact]
    public async Task Processes_with_different_windows_never_serve_an_invalidated_entry()
    {
        await using var client = new MemcachedClient(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var application = "mixed-" + Guid.NewGuid().ToString("N")[..8];
        var slow = Process(application, TimeSpan.FromSeconds(1), client).Tenant("t");
        var none = Process(application, TimeSpan.Zero, client).Tenant("t");
        await slow.SetAsync("k", "old");
        Assert.Equal("old", (await slow.GetAsync<string>("k")).Value); // reused from now on

        var watch = Stopwatch.StartNew();
        await none.InvalidateAsync(); // must wait out the 1 s the slow process's token promised
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(990), $"returned after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.False((await slow.GetAsync<string>("k")).HasValue);
        Assert.False((await none.GetAsync<string>("k")).HasValue);

        await none.SetAsync("k", "new"); // tokens re-read by the zero-window process: the new one
        Assert.Equal("new", (await slow.GetAsync<string>("k")).Value);
        watch.Restart();
        await slow.InvalidateAsync(); // its own token now promises 0 (written by the zero-window process)
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(900), $"returned after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.False((await none.GetAsync<string>("k")).HasValue);
    }
}
