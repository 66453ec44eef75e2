using TenantCache.Cli.Check;
using static TenantCache.Tests.Check.HistoryBuilder;

namespace TenantCache.Tests.Check;

/// <summary>The factory accounting on hand-built runs: generations split by the invalidations that cover the key, extra runs classified.</summary>
public sealed class FactoryAccountingTests
{
    [Fact]
    public void Runs_are_grouped_per_key_and_generation_and_the_extra_ones_classified()
    {
        var h = new HistoryBuilder();
        h.GetOrCreateMade(Tenant(0), 1, 10, 11, 13, writtenAt: 14); // the first run of (k1, generation 0)
        h.GetOrCreateMade(Tenant(0), 1, 12, 12, 15); // began before the first had written back: concurrent
        h.GetOrCreateMade(Tenant(0), 1, 20, 21, 22); // after it
        h.GetOrCreateMade(Tenant(0), 1, 30, 31, 32).TookOver = true;
        h.GetOrCreateMade(Tenant(0), 2, 30, 31, 32); // another key: a generation of its own
        h.Invalidate(Tenant(1), 40, 41); // another tenant: no new generation for t0
        h.GetOrCreateMade(Tenant(0), 1, 42, 43, 44); // still the first generation
        h.InvalidateTag(0, 50, 51); // a tag the key's get-or-creates do not carry
        h.GetOrCreateMade(Tenant(0), 1, 52, 53, 54);
        h.Invalidate(App(), 60, 61); // the application: a new generation
        h.GetOrCreateMade(Tenant(0), 1, 60, 62, 63); // its factory started after the invalidation started
        h.GetOrCreateMade(Tenant(0), 3, 60, 62, 63, tags: 1);
        h.InvalidateTag(0, 70, 71); // a tag k3 carries
        h.GetOrCreateMade(Tenant(0), 3, 72, 73, 74);

        var a = FactoryAccounting.Of(h.History);

        Assert.Equal(10, a.Runs);
        Assert.Equal(5, a.Generations); // (k1, 0) × 6, (k2, 0), (k1, 1), and k3's two: after the application's and its tag's invalidations
        Assert.Equal(6, a.MaxRuns);
        Assert.Equal(1, a.Repeated);
        Assert.Equal((1, 1, 3), (a.Takeovers, a.Concurrent, a.After));
        Assert.Equal(5, a.Beyond);
        Assert.Contains("10 for 5 keys × generations: 2.000 per generation (max 6)", a.Line(meterTakeovers: 1), StringComparison.Ordinal);
    }
}
