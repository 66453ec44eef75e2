using TenantCache.Cli.Check;
using TenantCache.Internal;
using TenantCache.Tests.Support;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The checker with the token reuse window on real memcached (local processes the checker starts and
/// always stops): the default window, a window under restarts that empty nodes (I4 judged), legacy
/// readers, mixed windows. Each run asserts no violation and that tokens were reused, so the window
/// cannot be silently off. One class: these run one after another.
/// </summary>
public sealed class MemcachedWindowCheckTests(ITestOutputHelper output)
{
    private static CheckOptions Options(double seconds, string faults = "none", int nodes = 1, int seed = 20261201) => new()
    {
        Seconds = seconds,
        Workers = 8,
        Seed = seed,
        Nodes = nodes,
        Faults = CheckOptions.ParseFaults(faults),
    };

    private async Task<CheckResult> RunAsync(CheckOptions options)
    {
        var cluster = await CheckCluster.StartAsync(options);
        Assert.NotNull(cluster);
        await using (cluster)
        {
            var target = cluster.Target(options);
            var result = await new CheckRunner(options, target).RunAsync();
            output.WriteLine(options.Describe(target));
            output.WriteLine(ReportText.Of(result));
            return result;
        }
    }

    private static void AssertReused(CheckResult result, double share = 0.5)
    {
        var tally = result.Tally!;
        Assert.True(tally.WindowReads >= 500, $"reads by processes with a window: {tally.WindowReads}");
        Assert.True(tally.ReusedReads >= tally.WindowReads * share, $"reused {tally.ReusedReads} of {tally.WindowReads}");
        Assert.Null(result.Summary.Insufficient);
    }

    [Fact]
    public async Task The_default_window_on_memcached_reuses_tokens_waits_out_invalidations_and_holds_every_invariant()
    {
        var result = await RunAsync(Options(5));
        var tally = result.Tally!;

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.All(tally.Windows, w => Assert.Equal(TenantCacheOptions.DefaultTokenReuseWindow, w));
        foreach (var app in result.Caches)
        {
            Assert.All(app, cache => Assert.Equal(TenantCacheOptions.DefaultTokenReuseWindow, ((IEngineScope)cache).Engine.TokenReuseWindow));
        }

        AssertReused(result);
        Assert.True(tally.MeanInvalidationOf(0) >= TenantCacheOptions.DefaultTokenReuseWindow * 0.9, $"mean invalidation {tally.MeanInvalidationOf(0)}");
        Assert.True(result.Verdict.LocalityJudged && result.Verdict.LocalityChecked >= 50, $"I3-eligible reads: {result.Verdict.LocalityChecked}");
    }

    [Fact]
    public async Task A_window_under_restarts_holds_I1_and_I4_on_three_nodes()
    {
        // Restarts empty a node at once (kill would keep it down, and its fast failures would
        // outnumber the operations served, which wait out invalidations).
        var options = Options(10, "restart", nodes: 3);
        options.TokenWindow = TimeSpan.FromMilliseconds(200);
        var result = await RunAsync(options);

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.True(result.Summary.Faults >= 2, result.Summary.Line);
        Assert.True(result.Verdict.TokenLossJudged, ReportText.Of(result));
        Assert.Contains(result.History.Operations, o => o.Kind == OpKind.Fault && o.LostNodes != 0);
        AssertReused(result, share: 0.3);
    }

    [Fact]
    public async Task Legacy_readers_without_CAS_beside_processes_with_the_default_window_hold_every_invariant()
    {
        var options = Options(8);
        options.LegacyReaders = true;
        var result = await RunAsync(options);
        var tally = result.Tally!;

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));

        // Legacy processes write tokens without flags (R = 0): until a windowed process replaces such a token, no
        // one may reuse it. With the lease workload (stale, fail-safe and timeout calls, lease polls) the share
        // reused measured 23-47 % over five runs on this machine (above 50 % before); the point here is that
        // reuse still happens beside legacy readers, with every invariant held.
        AssertReused(result, share: 0.1);
        var legacy = tally.Processes.Where(p => p.Role == ProcessRole.Legacy).ToList();
        Assert.NotEmpty(legacy);
        Assert.All(legacy, p =>
        {
            Assert.Equal(0, tally.InvalidationsOf(p.Index));
            Assert.True(tally.ReadsOf(p.Index) > 100 && tally.TokenFreeReadsOf(p.Index) < tally.ReadsOf(p.Index) / 10, $"p{p.Index}: {tally.TokenFreeReadsOf(p.Index)} of {tally.ReadsOf(p.Index)}");
            Assert.Equal(TimeSpan.Zero, ((IEngineScope)result.Caches[0][p.Index]).Engine.TokenReuseWindow);
        });
    }

    [Fact]
    public async Task The_in_process_copy_on_memcached_holds_every_invariant()
    {
        var options = Options(5);
        options.LocalCopy = true;
        using var counters = new CacheCounters(options.ApplicationName(0));
        var result = await RunAsync(options);

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.True(counters["tenantcache.local_copy.hits"] > 0, $"copy hits: {counters["tenantcache.local_copy.hits"]}"); // the copy served, the judge judged it
        AssertReused(result);
    }

    [Fact]
    public async Task Mixed_windows_hold_every_invariant()
    {
        var options = Options(6);
        options.MixedWindows = true;
        var result = await RunAsync(options);

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));

        // The window is on (not silently off): tokens written by the processes without one ask nobody to
        // reuse them, so the share is lower than with one window for all (16 % seen).
        AssertReused(result, share: 0.08);
    }

    [Fact]
    public async Task Mixed_windows_give_each_process_its_window_and_every_window_is_used()
    {
        // What holds today with mixed windows (the invariants do not: see the skipped test above).
        var options = Options(4);
        options.MixedWindows = true;
        var result = await RunAsync(options);
        var tally = result.Tally!;

        Assert.Equal(6, tally.Processes.Count);
        for (var p = 0; p < tally.Processes.Count; p++)
        {
            var window = ((IEngineScope)result.Caches[0][p]).Engine.TokenReuseWindow;
            Assert.Equal(tally.Windows[p], window);
            if (!tally.Processes[p].ReadsAndWrites)
            {
                Assert.True(tally.InvalidationsOf(p) > 0 && tally.ReadsOf(p) == 0, $"clear-like p{p}");
            }
            else if (window >= TimeSpan.FromMilliseconds(200))
            {
                // Every invalidation waits up to 1 s here, so reads are few and tokens less often fresh.
                Assert.True(tally.TokenFreeReadsOf(p) > tally.ReadsOf(p) / 10, $"p{p} (Δ={window}): {tally.TokenFreeReadsOf(p)} of {tally.ReadsOf(p)}");
            }
            else if (window == TimeSpan.Zero)
            {
                Assert.True(tally.TokenFreeReadsOf(p) < tally.ReadsOf(p) / 10, $"p{p} (Δ=0): {tally.TokenFreeReadsOf(p)} of {tally.ReadsOf(p)}");
            }
        }

        Assert.True(tally.Processes.Where(p => p.Invalidates).All(p => tally.InvalidationsOf(p.Index) > 0), "every invalidating process invalidated");
    }
}
