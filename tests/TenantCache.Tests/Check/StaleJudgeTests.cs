using TenantCache.Cli.Check;
using static TenantCache.Tests.Check.HistoryBuilder;

namespace TenantCache.Tests.Check;

/// <summary>
/// The judge on stale and fail-safe results (hand-built histories, times in seconds): a stale value of the same
/// key is allowed for StaleFor after the first read that found it invalidated, never past it and never another
/// key's; a fail-safe value may be expired by at most FailSafeFor, and never invalidated; a factory's own failure
/// is not an I5 violation.
/// </summary>
public sealed class StaleJudgeTests
{
    private static readonly TimeSpan StaleFor = TimeSpan.FromSeconds(2);

    private static void AssertClean(Verdict verdict) =>
        Assert.True(verdict.ViolationCount == 0, "unexpected: " + string.Join(" | ", verdict.Violations.Select(v => v.Invariant + " " + v.Message)));

    /// <summary>
    /// A value set at 0-0.01 s, its tenant invalidated at 1.00-1.01 s, then a get-or-create at 1.02-1.03 s that found
    /// it invalidated (the first detection: it ends at 1.03 s) and served it stale.
    /// </summary>
    private static (HistoryBuilder History, Operation Old, Operation Invalidation, Operation Detection) Invalidated()
    {
        var h = new HistoryBuilder();
        var old = h.Set(Tenant(0), 1, 0, Seconds(0.01));
        var invalidation = h.Invalidate(Tenant(0), Seconds(1.00), Seconds(1.01));
        var detection = h.GetOrCreateWith(Tenant(0), 1, Seconds(1.02), Seconds(1.03), old, GetOrCreateOutcome.Stale, StaleFor);
        return (h, old, invalidation, detection);
    }

    [Fact]
    public void A_stale_result_within_StaleFor_of_the_first_detection_is_allowed_and_counted()
    {
        var (h, old, _, _) = Invalidated();
        h.GetOrCreateWith(Tenant(0), 1, Seconds(2.5), Seconds(2.9), old, GetOrCreateOutcome.Stale, StaleFor);

        var verdict = h.Judge();

        AssertClean(verdict);
        Assert.Equal(2, verdict.StaleResults);
        Assert.Equal(2, verdict.StaleJudged);
    }

    [Fact]
    public void A_stale_result_past_StaleFor_after_the_first_detection_is_I1()
    {
        var (h, old, invalidation, detection) = Invalidated();
        var late = h.GetOrCreateWith(Tenant(0), 1, Seconds(3.2), Seconds(3.3), old, GetOrCreateOutcome.Stale, StaleFor); // 2.27 s after 1.03 s

        var verdict = h.Judge();

        Assert.Equal(1, verdict.ViolationCount);
        Assert.Equal("I1", verdict.Violations[0].Invariant);
        Assert.Equal([late, old, invalidation, detection], verdict.Violations[0].Evidence);
        Assert.Contains("beyond its StaleFor of 2000 ms", verdict.Violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_memcached_the_bound_allows_one_more_second_for_its_clock()
    {
        var (h, old, _, _) = Invalidated();
        h.GetOrCreateWith(Tenant(0), 1, Seconds(3.2), Seconds(3.3), old, GetOrCreateOutcome.Stale, StaleFor);

        AssertClean(h.Judge(storeClock: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_first_detection_is_bounded_by_the_earliest_leased_get_or_create_that_began_after_the_invalidation_returned()
    {
        var h = new HistoryBuilder();
        var old = h.Set(Tenant(0), 1, 0, Seconds(0.01));
        h.Invalidate(Tenant(0), Seconds(1.00), Seconds(1.01));
        h.GetOrCreateWith(Tenant(0), 1, Seconds(0.9), Seconds(1.05), old, GetOrCreateOutcome.Stale, StaleFor); // began before it returned: no bound
        h.Get(Tenant(0), 1, Seconds(1.1), Seconds(1.11), null); // plain reads do not mark entries stale
        var unleased = h.GetOrCreateWith(Tenant(0), 1, Seconds(1.2), Seconds(1.21), old, GetOrCreateOutcome.Stale, StaleFor);
        unleased.Leased = false; // a process without leases marks nothing either
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.5), Seconds(1.6), old, GetOrCreateOutcome.Stale, StaleFor); // the first detection
        h.GetOrCreateWith(Tenant(0), 1, Seconds(3.8), Seconds(3.9), old, GetOrCreateOutcome.Stale, StaleFor); // 2.3 s after 1.6 s

        var verdict = h.Judge();

        Assert.Equal(1, verdict.ViolationCount);
        Assert.Equal(Seconds(1.6), verdict.Violations[0].Evidence[3].End);
    }

    [Fact]
    public void A_value_written_back_after_the_invalidation_is_first_detected_after_its_write()
    {
        var h = new HistoryBuilder();
        // Its factory started before the invalidation, so its value is dead; its write-back landed at 1.5 s.
        var dead = h.GetOrCreateMade(Tenant(0), 1, 0, Seconds(0.5), Seconds(0.51), writtenAt: Seconds(1.5));
        h.Invalidate(Tenant(0), Seconds(1.00), Seconds(1.01));
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.1), Seconds(1.11), dead, GetOrCreateOutcome.Stale, StaleFor); // before the write: no evidence
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.6), Seconds(1.7), dead, GetOrCreateOutcome.Stale, StaleFor); // the first detection
        h.GetOrCreateWith(Tenant(0), 1, Seconds(3.5), Seconds(3.6), dead, GetOrCreateOutcome.Stale, StaleFor); // 1.9 s later: allowed

        AssertClean(h.Judge());

        h.GetOrCreateWith(Tenant(0), 1, Seconds(4.0), Seconds(4.1), dead, GetOrCreateOutcome.Stale, StaleFor); // 2.4 s later
        Assert.Equal("I1", Assert.Single(h.Judge().Violations).Invariant);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("tenant")]
    [InlineData("application")]
    public void A_stale_result_of_another_key_tenant_or_application_is_I2(string other)
    {
        var (h, _, _, _) = Invalidated();
        var foreign = other switch
        {
            "key" => h.Set(Tenant(0), 2, 0, Seconds(0.01)),
            "tenant" => h.Set(Tenant(1), 1, 0, Seconds(0.01)),
            _ => h.Set(Tenant(0, app: 1), 1, 0, Seconds(0.01)),
        };
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.5), Seconds(1.6), foreign, GetOrCreateOutcome.Stale, StaleFor); // well within StaleFor

        var verdict = h.Judge();

        Assert.Equal("I2", Assert.Single(verdict.Violations).Invariant);
    }

    [Theory]
    [InlineData(GetOrCreateOutcome.Hit)]
    [InlineData(GetOrCreateOutcome.Joined)]
    [InlineData(GetOrCreateOutcome.FailSafe)]
    public void Any_other_outcome_of_an_older_generation_is_I1_even_for_a_call_that_allows_stale_values(GetOrCreateOutcome outcome)
    {
        var (h, old, _, _) = Invalidated();
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.5), Seconds(1.6), old, outcome, StaleFor, failSafeFor: TimeSpan.FromSeconds(10));

        Assert.Equal("I1", Assert.Single(h.Judge().Violations).Invariant);
    }

    [Fact]
    public void A_fail_safe_result_may_be_expired_by_at_most_FailSafeFor()
    {
        var h = new HistoryBuilder();
        var lifetime = TimeSpan.FromSeconds(1);
        var made = h.GetOrCreateMade(Tenant(0), 1, 0, Seconds(0.01), Seconds(0.02), lifetime: lifetime); // expires at 1.02 s at the latest
        h.GetOrCreateWith(Tenant(0), 1, Seconds(2.5), Seconds(2.6), made, GetOrCreateOutcome.FailSafe, failSafeFor: TimeSpan.FromSeconds(2));
        var verdict = h.Judge();
        AssertClean(verdict);
        Assert.Equal((1, 1), (verdict.FailSafeResults, verdict.FailSafeExpired));

        h.GetOrCreateWith(Tenant(0), 1, Seconds(3.5), Seconds(3.6), made, GetOrCreateOutcome.FailSafe, failSafeFor: TimeSpan.FromSeconds(2));
        h.GetOrCreateWith(Tenant(0), 1, Seconds(1.5), Seconds(1.6), made, GetOrCreateOutcome.Hit, failSafeFor: TimeSpan.FromSeconds(2)); // not a fail-safe result: expired is a miss
        Assert.Equal(["expiry", "expiry"], h.Judge().Violations.Select(v => v.Invariant));
    }

    [Fact]
    public void A_get_or_create_that_throws_its_own_factorys_failure_is_not_I5()
    {
        var h = new HistoryBuilder();
        h.History.Add(new Operation { Kind = OpKind.GetOrCreate, Location = Tenant(0), Key = 1, Start = 1, End = 2, Status = OpStatus.Threw, Error = "CheckFactoryException: on purpose", ErrorExpected = true });
        h.History.Add(new Operation { Kind = OpKind.GetOrCreate, Location = Tenant(0), Key = 1, Start = 3, End = 4, Status = OpStatus.Threw, Error = "CacheStoreException: down" });

        var verdict = h.Judge();

        Assert.Equal("I5", Assert.Single(verdict.Violations).Invariant);
        Assert.Equal(1, verdict.FactoryFailures);
    }
}
