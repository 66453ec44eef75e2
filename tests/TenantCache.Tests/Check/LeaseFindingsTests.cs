using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// Engine findings of the checker with recompute leases, stale and fail-safe calls (issue 11), reduced to a few calls
/// each. The skipped ones fail today: un-skip them with the engine's fix.
/// </summary>
public sealed class LeaseFindingsTests
{
    private static readonly CacheEntryOptions FailSafe = new() { Expiration = TimeSpan.FromSeconds(1), FailSafeFor = TimeSpan.FromSeconds(30), Tags = ["g"] };

    private static (ApplicationCache Cache, FakeTimeProvider Time) Process()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return (Process(new MemoryCacheStore(timeProvider: time), time), time);
    }

    private static ApplicationCache Process(ICacheStore store, TimeProvider time) =>
        new(store, new TenantCacheOptions { Application = "finding", Leases = new LeaseOptions { Enabled = true } }, timeProvider: time);

    [Fact]
    public async Task An_expired_entry_is_the_fail_safe_value_when_the_factory_fails()
    {
        var (cache, time) = Process();
        var tenant = cache.Tenant("t");
        await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("good"), FailSafe);
        time.Advance(TimeSpan.FromSeconds(2));

        var result = await tenant.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("down"), FailSafe);

        Assert.Equal(("good", GetOrCreateOutcome.FailSafe), (result.Value, result.Outcome));
    }

    /// <summary>
    /// Found by <c>tenantcache check</c> (in process, no faults): a get-or-create with FailSafeFor and no StaleFor
    /// returned, as <see cref="GetOrCreateOutcome.FailSafe"/>, a value whose tag had been invalidated before it began
    /// (I1). The read checks an entry's deadline before its tags' tokens, and an expired entry becomes the fail-safe
    /// fallback without its tags being read (CacheEngine.Read.cs): an expired entry whose tag was invalidated is
    /// served as the last good value. A scope invalidation is caught (its token is checked before the deadline).
    /// </summary>
    /// <remarks>Fixed: an expired entry with tags is a fail-safe value only once its tags' tokens are read and match.</remarks>
    [Fact]
    public async Task An_expired_entry_whose_tag_was_invalidated_is_no_fail_safe_value()
    {
        var (cache, time) = Process();
        var tenant = cache.Tenant("t");
        await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("before the invalidation"), FailSafe);
        await cache.InvalidateTagAsync("g");
        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await tenant.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("down"), FailSafe));
    }

    /// <summary>
    /// The stale window is the one the entry was written with (docs/guarantees.md, "Stale reads"): the mark keeps
    /// the entry for its StaleFor after the first read that found it invalidated, and a call allowing stale values
    /// gets it within that — even one asking for less (a known limitation: the store reports no remaining time to
    /// live to judge the call's own bound by) — and never after it.
    /// </summary>
    [Fact]
    public async Task A_stale_value_is_served_within_the_entrys_StaleFor_and_never_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new MemoryCacheStore(timeProvider: time);
        var a = Process(store, time).Tenant("t");
        var b = Process(store, time).Tenant("t");
        var five = new CacheEntryOptions { StaleFor = TimeSpan.FromSeconds(5) };
        var two = new CacheEntryOptions { StaleFor = TimeSpan.FromSeconds(2) };
        await a.GetOrCreateAsync("k", _ => ValueTask.FromResult("old"), five);
        await a.InvalidateAsync();
        var detected = await a.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("down"), five); // its recompute fails
        Assert.Equal(("old", GetOrCreateOutcome.Stale), (detected.Value, detected.Outcome));

        time.Advance(TimeSpan.FromSeconds(3)); // within the entry's 5 s: still stale, even for a call asking 2 s
        var within = await b.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("still down"), two);
        Assert.Equal(("old", GetOrCreateOutcome.Stale), (within.Value, within.Outcome));

        time.Advance(TimeSpan.FromSeconds(3)); // past it: the marked entry is gone, the value is computed
        var after = await b.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult("new"), two);
        Assert.Equal(("new", GetOrCreateOutcome.Computed), (after.Value, after.Outcome));
    }
}
