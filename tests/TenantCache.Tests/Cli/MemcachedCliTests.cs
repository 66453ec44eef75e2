using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Cli;

/// <summary>The tenantcache command against a real memcached.</summary>
public sealed class MemcachedCliTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    [Fact]
    public async Task Demo_with_servers_prints_the_seed_lines_against_real_memcached()
    {
        var (exit, stdout, stderr) = await LocateCommandTests.RunCliAsync(["demo", "--servers", fixture.Server.Endpoint]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(DemoCommandTests.SeedLines, stdout.Split('\n')[..7]);
        Assert.Contains("news: Lisboa cached /info is: 5 headlines", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Clear_invalidates_a_tenant_from_the_shell_and_leaves_the_others()
    {
        var app = "cli-" + Guid.NewGuid().ToString("N")[..8];
        await using var store = new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var cache = new ApplicationCache(store, new TenantCacheOptions { Application = app });
        await cache.Tenant("a").SetAsync("k", "1");
        await cache.Tenant("b").SetAsync("k", "2");

        var (exit, stdout, stderr) = await LocateCommandTests.RunCliAsync(["clear", "--servers", fixture.Server.Endpoint, "--app", app, "--tenant", "a"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("Cleared a", stdout);
        Assert.False((await cache.Tenant("a").GetAsync<string>("k")).HasValue);
        Assert.Equal("2", (await cache.Tenant("b").GetAsync<string>("k")).Value);

        (exit, _, stderr) = await LocateCommandTests.RunCliAsync(["clear", "--servers", fixture.Server.Endpoint, "--app", app]);
        Assert.True(exit == 0, stderr);
        Assert.False((await cache.Tenant("b").GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Clear_waits_out_the_window_the_replaced_token_promised_and_says_how_long_it_took()
    {
        var app = "cli-" + Guid.NewGuid().ToString("N")[..8];
        await using var store = new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var cache = new ApplicationCache(store, new TenantCacheOptions { Application = app }); // the default window: 500 ms
        await cache.Tenant("a").SetAsync("k", "1"); // its tokens promise 500 ms
        Assert.Equal("1", (await cache.Tenant("a").GetAsync<string>("k")).Value);

        var (exit, stdout, stderr) = await LocateCommandTests.RunCliAsync(["clear", "--servers", fixture.Server.Endpoint, "--app", app, "--tenant", "a", "--token-window", "0"]);

        Assert.True(exit == 0, stderr);
        var match = System.Text.RegularExpressions.Regex.Match(stdout, @"^Cleared a of application \S+ in (\d+) ms, the wait for the replaced token's reuse window included\.$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(match.Success, stdout);
        Assert.True(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 500, stdout);
        Assert.False((await cache.Tenant("a").GetAsync<string>("k")).HasValue); // at once, although this process reuses tokens
    }

    [Fact]
    public async Task Clear_against_an_unreachable_server_fails_with_exit_code_1_and_a_message()
    {
        var (exit, _, stderr) = await LocateCommandTests.RunCliAsync(["clear", "--servers", "127.0.0.1:1", "--app", "x"]);
        Assert.Equal(1, exit);
        Assert.Contains("could not be recorded", stderr);
    }

    [Fact]
    public async Task Clear_rejects_an_empty_application_with_exit_code_2()
    {
        var (exit, _, stderr) = await LocateCommandTests.RunCliAsync(["clear", "--servers", fixture.Server.Endpoint, "--app", " "]);
        Assert.Equal(2, exit);
        Assert.StartsWith("tenantcache clear: --app: ", stderr);
        Assert.DoesNotContain("(Parameter", stderr);
    }
}
