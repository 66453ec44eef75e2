using System.Net.Sockets;
using System.Text;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Leases;

/// <summary>
/// Leases meet token reuse (a process keeps using a token it read less than its window ago, and an
/// invalidation returns only once that window has passed). During that window a process may hold the
/// replaced token while another already works with the new one; neither may make the other's work
/// useless: the reusing process must not recompute the previous generation over the new entry.
/// </summary>
public sealed class LeaseTokenReuseTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly string _application = "reuse-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A process; with <paramref name="frozen"/>, its clock stands still, so it reuses what it read for as long as the test needs.</summary>
    private ApplicationCache Process(MemcachedCacheStore store, bool frozen = false) =>
        new(store, new TenantCacheOptions
        {
            Application = _application,
            TokenReuseWindow = Window,
            Leases = new LeaseOptions { Enabled = true, Duration = TimeSpan.FromSeconds(2) },
        }, timeProvider: frozen ? new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow) : null);

    [Fact(Timeout = 60_000)]
    public async Task A_process_still_on_the_replaced_token_takes_the_newer_entry_as_a_hit_and_computes_nothing()
    {
        var store = new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var invalidator = Process(store).Tenant("t");
        var reuser = Process(store, frozen: true).Tenant("t");
        await invalidator.SetAsync("k", "v0");
        Assert.Equal("v0", (await reuser.GetAsync<string>("k")).Value); // the reuser now reuses the tenant token

        var invalidation = await StartInvalidationAsync(invalidator); // returns once the window has passed
        var fresh = await invalidator.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult("v1"));
        Assert.Equal(("v1", GetOrCreateOutcome.Computed), (fresh.Value, fresh.Outcome));

        var runs = 0;
        var seen = await reuser.GetOrCreateWithOutcomeAsync("k", _ =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.FromResult("previous generation");
        });

        Assert.Equal(("v1", GetOrCreateOutcome.Hit, 0), (seen.Value, seen.Outcome, runs));
        await invalidation;
        Assert.Equal("v1", (await invalidator.GetAsync<string>("k")).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hit_that_gets_the_lease_of_an_entry_marked_by_a_newer_process_recomputes_for_the_new_tokens()
    {
        var store = new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var invalidator = Process(store).Tenant("t");
        var reuser = Process(store, frozen: true).Tenant("t");
        await invalidator.SetAsync("k", "v0");
        Assert.Equal("v0", (await reuser.GetAsync<string>("k")).Value);

        var invalidation = await StartInvalidationAsync(invalidator);

        // What a process on the new token does when it finds the entry dead, minus its own lease read: memcached
        // then hands the lease to the next read of the item, whichever it is.
        await MarkStaleAsync($"{_application}:d:t:k");

        var runs = 0;
        var hit = await reuser.GetOrCreateWithOutcomeAsync("k", _ =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.FromResult("v1");
        });
        Assert.Equal(("v0", GetOrCreateOutcome.Hit), (hit.Value, hit.Outcome)); // its tokens still match: a hit, allowed before the invalidation returns

        // It got the lease with that hit, so it recomputes for the fleet — for the new tokens, not the reused ones.
        await Eventually.TrueAsync(async () => (await invalidator.GetAsync<string>("k")).Value == "v1", TimeSpan.FromSeconds(10));
        Assert.Equal(1, runs);
        await invalidation;
    }

    /// <summary>Starts an invalidation (it waits out the window before it returns) and waits until its token is written.</summary>
    private static async Task<Task> StartInvalidationAsync(ICacheScope invalidator)
    {
        var invalidation = invalidator.InvalidateAsync().AsTask();
        await Eventually.TrueAsync(async () => !(await invalidator.GetAsync<string>("k")).HasValue, TimeSpan.FromSeconds(5));
        return invalidation;
    }

    private async Task MarkStaleAsync(string storeKey)
    {
        var endpoint = fixture.Server.Endpoint.Split(':');
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint[0], int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"md {storeKey} I T30\r\n"));
        var reply = new byte[64];
        var read = await stream.ReadAsync(reply);
        Assert.Equal("HD\r\n", Encoding.ASCII.GetString(reply, 0, read));
    }
}
