using System.Diagnostics;
using TenantCache.Cli.Check;
using static TenantCache.Tests.Check.HistoryBuilder;

namespace TenantCache.Tests.Check;

/// <summary>
/// The judge's I4 rule with the token reuse window: after a fault emptied the node of a version key,
/// a hit on a value stamped with the vanished token is allowed for at most Δ_max (1 s) after the
/// fault's start returned, and is a violation after. I1 is not loosened by it. Timestamps here are
/// real <see cref="Stopwatch"/> ticks, since the rule measures Δ_max.
/// </summary>
public sealed class TokenLossJudgeTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    /// <summary>Every version key on node 0, unless the test says otherwise.</summary>
    private static Func<Location, int, int> OnNode(int node) => (_, _) => 1 << node;

    private static Operation Fault(HistoryBuilder h, long start, long applied, long end, int lostNodes) =>
        h.History.Add(new Operation
        {
            Kind = OpKind.Fault, Worker = -1, Error = "restart", Start = start, Applied = applied, End = end, Status = OpStatus.Ok, LostNodes = lostNodes,
        });

    [Fact]
    public void A_hit_on_a_vanished_token_within_the_window_is_allowed_and_counted()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10 * Ms);
        Fault(h, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        h.Get(Tenant(0), 1, 1_100 * Ms, 1_101 * Ms, set); // 980 ms after the fault's start returned

        var verdict = Judge.Run(h.History, checkLocality: false, tokenNodes: OnNode(0));

        Assert.Equal(0, verdict.ViolationCount);
        Assert.True(verdict.TokenLossJudged);
        Assert.Equal(1, verdict.HitsOnVanishedTokens);
    }

    [Fact]
    public void A_hit_on_a_vanished_token_after_the_window_is_I4()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10 * Ms);
        var fault = Fault(h, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        var read = h.Get(Tenant(0), 1, 1_121 * Ms, 1_122 * Ms, set);

        var verdict = Judge.Run(h.History, checkLocality: false, tokenNodes: OnNode(0));

        Assert.Equal(1, verdict.ViolationCount);
        Assert.Equal("I4", verdict.Violations[0].Invariant);
        Assert.Equal([read, set, fault], verdict.Violations[0].Evidence);
        Assert.Contains("emptied node(s) 0", fault.Describe(0), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_on_another_node_a_write_after_the_fault_or_no_placement_is_no_evidence()
    {
        var other = new HistoryBuilder();
        var before = other.Set(Tenant(0), 1, 0, 10 * Ms);
        Fault(other, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 0b10);
        other.Get(Tenant(0), 1, 3_000 * Ms, 3_001 * Ms, before);
        Assert.Equal(0, Judge.Run(other.History, checkLocality: false, tokenNodes: OnNode(0)).ViolationCount);

        var later = new HistoryBuilder();
        var after = later.Set(Tenant(0), 2, 90 * Ms, 130 * Ms); // its tokens may have been read after the fault began
        Fault(later, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        later.Get(Tenant(0), 2, 3_000 * Ms, 3_001 * Ms, after);
        Assert.Equal(0, Judge.Run(later.History, checkLocality: false, tokenNodes: OnNode(0)).ViolationCount);

        var lost = new HistoryBuilder();
        var set = lost.Set(Tenant(0), 1, 0, 10 * Ms);
        Fault(lost, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        lost.Get(Tenant(0), 1, 3_000 * Ms, 3_001 * Ms, set);
        var unplaced = Judge.Run(lost.History, checkLocality: false);
        Assert.Equal(0, unplaced.ViolationCount);
        Assert.False(unplaced.TokenLossJudged);
        Assert.Equal("I4", Judge.Run(lost.History, checkLocality: false, tokenNodes: OnNode(0)).Violations[0].Invariant);
    }

    [Fact]
    public void A_tag_token_on_the_emptied_node_counts_too()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10 * Ms, tags: 0b100);
        Fault(h, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 0b10);
        h.Get(Tenant(0), 1, 2_000 * Ms, 2_001 * Ms, set);

        // Scope keys on node 0, the tag's key on node 1.
        var verdict = Judge.Run(h.History, checkLocality: false, tokenNodes: (_, tags) => tags == 0 ? 1 : 0b11);

        Assert.Equal("I4", Assert.Single(verdict.Violations).Invariant);
    }

    [Fact]
    public void The_window_does_not_excuse_a_hit_after_an_invalidation_returned_even_right_after_a_token_vanished()
    {
        // The token the value was stamped with vanished; a process recreated one; an invalidation
        // replaced that and returned; a read began after it returned, within Δ_max of the loss, and
        // served the value: I1, reported with the fault that emptied the node.
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10 * Ms);
        var fault = Fault(h, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        var invalidation = h.Invalidate(Tenant(0), 200 * Ms, 210 * Ms);
        var read = h.Get(Tenant(0), 1, 300 * Ms, 301 * Ms, set);

        var verdict = Judge.Run(h.History, checkLocality: false, tokenNodes: OnNode(0));

        var violation = Assert.Single(verdict.Violations);
        Assert.Equal("I1", violation.Invariant);
        Assert.Equal([read, set, invalidation, fault], violation.Evidence);
        Assert.Contains("a fault emptied a node", violation.Message, StringComparison.Ordinal);

        // Also for a value written after the loss with the vanished token (its process still reused it).
        var late = new HistoryBuilder();
        var fault2 = Fault(late, 100 * Ms, 120 * Ms, 500 * Ms, lostNodes: 1);
        var set2 = late.Set(Tenant(0), 1, 150 * Ms, 151 * Ms);
        late.Invalidate(Tenant(0), 200 * Ms, 201 * Ms);
        late.Get(Tenant(0), 1, 250 * Ms, 251 * Ms, set2);
        Assert.Equal(fault2, Assert.Single(Judge.Run(late.History, checkLocality: false, tokenNodes: OnNode(0)).Violations).Evidence[^1]);
    }
}
