using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>Engine findings of the checker with recompute leases, stale and fail-safe calls (issue 11), reduced to a few calls each.</summary>
public sealed class LeaseFindingsTests
{
    private static readonly CacheEntryOptions FailSafe = new() { Expiration = TimeSpan.FromSeconds(1), FailSafeFor = TimeSpan.FromSeconds(30), Tags = ["g"] };

    private static (ApplicationCache Cache, FakeTimeProvider Time) Process()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new TenantCacheOptions { Application = "finding", Leases = new LeaseOptions { Enabled = true } };
        return (new ApplicationCache(new MemoryCacheStore(timeProvider: time), options, timeProvider: time), time);
    }

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
}
