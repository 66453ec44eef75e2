using TenantCache.Cli.Check;
using TenantCache.Internal;
using TenantCache.Stores;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The checker with recompute leases (issue 11): its wrappers keep the store's leases, a run on the in-process store
/// holds every invariant with stale values served and judged, and the fleet computes about once per key and
/// generation. One class: the runs go one after the other.
/// </summary>
public sealed class LeaseCheckTests(ITestOutputHelper output)
{
    private static CheckOptions Options(double seconds, int seed = 20261130) => new() { Seconds = seconds, Workers = 8, Seed = seed };

    private async Task<CheckResult> RunAsync(CheckOptions options, Func<ICacheStore> store, string name)
    {
        var target = new CheckTarget(name, store, []);
        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));
        return result;
    }

    [Fact]
    public void Counting_stores_and_test_wrappers_keep_leases_exactly_when_the_inner_store_has_them()
    {
        var census = new KeyCensus();
        Assert.IsAssignableFrom<ILeaseCacheStore>(CountingStore.Over(new MemoryCacheStore(), census));
        Assert.IsAssignableFrom<ILeaseCacheStore>(CountingStore.Over(new CasMemoryStore(), census));
        Assert.IsAssignableFrom<ILeaseCacheStore>(CountingStore.Over(new SlowStore(new CasMemoryStore()), census));
        var casOnly = CountingStore.Over(new CasDelegatingStore(new CasMemoryStore()), census);
        Assert.IsAssignableFrom<ICasCacheStore>(casOnly);
        Assert.IsNotAssignableFrom<ILeaseCacheStore>(casOnly);
        Assert.IsNotAssignableFrom<ILeaseCacheStore>(new LegacyStore(CountingStore.Over(new CasMemoryStore(), census)));

        // What the engine makes of them: leases over every lease store the checker wraps, unless asked off.
        static bool Leases(ICacheStore store, bool? enabled = null) =>
            ((IEngineScope)new ApplicationCache(store, new TenantCacheOptions { Application = "l", Leases = new LeaseOptions { Enabled = enabled } })).Engine.UsesLeases;
        Assert.True(Leases(CountingStore.Over(new CorruptingStore(new CasMemoryStore(), oneIn: 1000), census)));
        Assert.True(Leases(CountingStore.Over(new MemoryCacheStore(), census), enabled: true));
        Assert.False(Leases(CountingStore.Over(new MemoryCacheStore(), census), enabled: false));
        Assert.False(Leases(casOnly));
    }

    [Fact]
    public async Task The_runs_processes_take_leases_unless_no_leases_is_asked_for()
    {
        var options = Options(0.3);
        var on = await RunAsync(options, () => new MemoryCacheStore(), "memory");
        Assert.All(on.Caches.SelectMany(app => app), cache => Assert.True(((IEngineScope)cache).Engine.UsesLeases));
        Assert.Contains(" leases=on ", options.Describe(CheckTarget.InProcess()), StringComparison.Ordinal);

        var offOptions = Options(0.3);
        offOptions.Leases = false;
        var off = await RunAsync(offOptions, () => new MemoryCacheStore(), "memory");
        Assert.All(off.Caches.SelectMany(app => app), cache => Assert.False(((IEngineScope)cache).Engine.UsesLeases));
        Assert.Contains(" --no-leases", offOptions.CommandLine(), StringComparison.Ordinal);
        Assert.Equal(0, off.Summary.Stale.Results);
    }

    [Fact]
    public async Task Ten_seconds_on_the_in_process_store_with_leases_and_stale_reads_hold_every_invariant()
    {
        var result = await RunAsync(Options(10), () => new MemoryCacheStore(), "memory");
        var s = result.Summary;

        Assert.True(s.Violations == 0, ReportText.Of(result));
        // Not a vacuous pass: stale values were served and judged against their bound, fail-safe and timeouts ran.
        Assert.True(s.Stale.Results > 100 && s.Stale.Judged > 100, $"stale results={s.Stale}");
        Assert.True(s.Outcomes.GetValueOrDefault(GetOrCreateOutcome.Joined) > 0, "no call joined another's computation");
        Assert.True(s.FactoryFailures > 0, "no factory failed or timed out");
        Assert.True(s.Reads >= 5_000 && s.Invalidations >= 200, s.Line);
        Assert.True(s.LocalityJudged && s.LocalityChecked >= 500, $"I3-eligible reads={s.LocalityChecked}");
    }

    /// <summary>
    /// Fleet-wide single flight, measured: with leases, no faults and factories far faster than the lease (at most
    /// 250 ms against 2 s), the fleet runs a key's factory about once per generation. Not exactly once, honestly:
    /// a removal deletes a computed entry (the next get-or-create recomputes in the same generation); a set writes
    /// the key with random tags, one of which may be invalidated next; factories fail or time out on purpose (nothing
    /// is stored); entries of the short-lived keys expire after 250 ms; a write-back loses to a concurrent set. In
    /// runs of this workload these made 1.5-2.5 % of the generations computed more than once, all of them "after"
    /// an earlier run had written back, hardly any concurrently. The bounds leave room for a loaded machine: the
    /// mean at most 1.2 (the issue's), at most 6 % of generations repeated, and concurrent runs (the ones single
    /// flight should prevent) under 1 % of the generations.
    /// </summary>
    [Fact]
    public async Task With_leases_the_fleet_runs_a_factory_about_once_per_key_and_generation()
    {
        var result = await RunAsync(Options(10, seed: 20261201), () => new MemoryCacheStore(), "memory");
        var a = result.Summary.Accounting!;

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.True(a.Generations >= 1_000, a.Line(result.Summary.MeterTakeovers));
        Assert.True(a.Mean <= 1.2, a.Line(result.Summary.MeterTakeovers));
        Assert.True(a.Repeated <= a.Generations * 0.06, a.Line(result.Summary.MeterTakeovers));
        Assert.True(a.Concurrent <= a.Generations * 0.01, a.Line(result.Summary.MeterTakeovers));
        Assert.True(a.Takeovers <= result.Summary.MeterTakeovers, "a takeover was attributed to a run the meter did not count");
    }
}
