using TenantCache.Cli.Check;
using static TenantCache.Tests.Check.HistoryBuilder;

namespace TenantCache.Tests.Check;

/// <summary>
/// The judge under faults: a write the client gave up on (a store error logged, the call returned)
/// may still reach the server later, so it is no evidence against a removal; the invalidation rule,
/// which a late write cannot fool, is not loosened.
/// </summary>
public sealed class JudgeUnderFaultsTests
{
    [Fact]
    public void A_set_that_met_a_store_error_may_land_after_a_later_removal_and_be_read_back()
    {
        // Legal on memcached: the set is buffered by a paused node, times out in the client (logged,
        // skipped: the set returns), the removal succeeds on a fresh connection once the node runs
        // again, then the node executes the buffered set; the read finds it.
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        set.StoreErrors = 1;
        h.Remove(Tenant(0), 1, 20, 30);
        h.Get(Tenant(0), 1, 40, 50, set);

        var verdict = h.Judge(locality: false);

        Assert.Equal(0, verdict.ViolationCount);
    }

    [Fact]
    public void A_get_or_create_whose_write_met_a_store_error_may_land_after_a_later_removal()
    {
        var h = new HistoryBuilder();
        var made = h.GetOrCreateMade(Tenant(0), 1, 0, 2, 10);
        made.StoreErrors = 1;
        h.Remove(Tenant(0), 1, 20, 30);
        h.GetOrCreateReturned(Tenant(0), 1, 40, 50, made);

        Assert.Equal(0, h.Judge(locality: false).ViolationCount);
    }

    [Fact]
    public void A_set_without_store_error_finished_before_a_removal_is_still_I1_when_read_back()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        var removal = h.Remove(Tenant(0), 1, 20, 30);
        var read = h.Get(Tenant(0), 1, 40, 50, set);

        var verdict = h.Judge(locality: false);

        Assert.Equal(1, verdict.ViolationCount);
        Assert.Equal("I1", verdict.Violations[0].Invariant);
        Assert.Equal([read, set, removal], verdict.Violations[0].Evidence);
    }

    [Fact]
    public void A_set_that_met_a_store_error_is_still_I1_when_read_back_after_an_invalidation()
    {
        // A late write carries tokens read before it ended, so an invalidation that started after it
        // ended kills it wherever it lands: reading it back is a real lost invalidation.
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        set.StoreErrors = 1;
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 40, 50, set);

        var verdict = h.Judge(locality: false);

        Assert.Equal(1, verdict.ViolationCount);
        Assert.Equal("I1", verdict.Violations[0].Invariant);
    }
}
