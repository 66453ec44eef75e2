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
    /// A stale value is served for as long as the store keeps the marked entry, which the mark sets from the
    /// entry's own StaleFor (or the lease's duration when it has none), not from the reading call's: a call with
    /// StaleFor = 2 s gets a value 3 s after the first read that found it invalidated, when the entry was written
    /// with StaleFor = 5 s and its recompute failed (CacheEngine.GetOrCreate.cs serves a held entry's fallback
    /// without a bound of its own). The documented bound is the call's (CacheEntryOptions.StaleFor). The checker
    /// has not met it (its leases are short and its factories rarely fail); reduced from the rule it judges.
    /// </summary>
    [Fact(Skip = "Known limitation, documented in docs/guarantees.md (Stale reads): the stale window is the StaleFor the entry was written with; a call asking for less is not held to its own. The store reports no remaining TTL to judge it by.")]
    public async Task A_stale_value_is_never_served_past_the_reading_calls_StaleFor()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new MemoryCacheStore(timeProvider: time);
        var a = Process(store, time).Tenant("t");
        var b = Process(store, time).Tenant("t");
        var five = new CacheEntryOptions { StaleFor = TimeSpan.FromSeconds(5) };
        await a.GetOrCreateAsync("k", _ => ValueTask.FromResult("old"), five);
        await a.InvalidateAsync();
        var detected = await a.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("down"), five); // its recompute fails
        Assert.Equal(("old", GetOrCreateOutcome.Stale), (detected.Value, detected.Outcome));

        time.Advance(TimeSpan.FromSeconds(3));
        var late = await b.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult("new"), new CacheEntryOptions { StaleFor = TimeSpan.FromSeconds(2) });

        Assert.NotEqual(GetOrCreateOutcome.Stale, late.Outcome);
    }
}
