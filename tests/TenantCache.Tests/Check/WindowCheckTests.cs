using TenantCache.Cli;
using TenantCache.Cli.Check;
using TenantCache.Internal;
using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Support;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The checker with the token reuse window (Δ), in process: its stores keep CAS and flags, every
/// engine gets the window its process asks for (and what the engine itself would choose by default),
/// reuse is measured so the window cannot be silently off, and the judge still catches an engine whose
/// invalidations do not wait the window out. One class: these runs measure.
/// </summary>
public sealed class WindowCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    private static CheckOptions Options(double seconds, TimeSpan? window = null, int seed = 20261201) =>
        new() { Seconds = seconds, Workers = 8, Seed = seed, TokenWindow = window };

    private async Task<CheckResult> RunAsync(CheckOptions options, Func<ICacheStore> store, string name)
    {
        var target = new CheckTarget(name, store, []);
        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));
        return result;
    }

    [Fact]
    public async Task Counting_stores_keep_CAS_and_flags_exactly_when_the_inner_store_has_them()
    {
        var census = new KeyCensus();
        var inner = new CasMemoryStore();
        var counting = CountingStore.Over(inner, census);
        Assert.IsAssignableFrom<ICasCacheStore>(counting);
        Assert.IsNotAssignableFrom<ICasCacheStore>(CountingStore.Over(new DelegatingStore(new MemoryCacheStore()), census));
        Assert.IsNotAssignableFrom<ICasCacheStore>(new LegacyStore(counting));

        var cas = (ICasCacheStore)counting;
        const uint flags = 0x5400_01F4; // a token whose writer promised 500 ms
        Assert.Equal(StoreSetResult.Stored, await cas.SetAsync("app:v:t0", new byte[8], StoreSetMode.Add, null, flags, cas: 0));
        var plain = new StoreItem[1];
        var withCas = new StoreItem[1];
        var direct = new StoreItem[1];
        await counting.GetManyAsync(new[] { "app:v:t0" }, plain);
        await cas.GetManyAsync(new[] { "app:v:t0" }, withCas, ReadOnlyMemory<ulong>.Empty);
        await inner.GetManyAsync(new[] { "app:v:t0" }, direct);
        Assert.Equal(flags, plain[0].Flags);
        Assert.Equal(flags, withCas[0].Flags);
        Assert.NotEqual(0UL, plain[0].Cas);
        Assert.Equal(direct[0].Cas, plain[0].Cas);
        Assert.Equal(direct[0].Cas, withCas[0].Cas);

        Assert.Equal(StoreSetResult.Conflict, await cas.SetAsync("app:v:t0", new byte[8], StoreSetMode.Set, null, flags, plain[0].Cas + 1));
        Assert.Equal(StoreSetResult.Stored, await cas.SetAsync("app:v:t0", new byte[8], StoreSetMode.Set, null, 0, plain[0].Cas));
        await counting.GetManyAsync(new[] { "app:v:t0" }, plain);
        Assert.Equal(0u, plain[0].Flags);
        Assert.Equal(["app:v:t0"], census.Keys);

        Assert.True(CountingStore.IsVersionKey("check.x.a0:v:"));
        Assert.True(CountingStore.IsVersionKey("check.x.a0:t:g1"));
        Assert.False(CountingStore.IsVersionKey("check.x.a0:d:t0:k1"));
    }

    [Fact]
    public async Task Every_engine_gets_the_window_the_engine_itself_would_choose_by_default()
    {
        await using var memcached = new MemcachedCacheStore(new MemcachedOptions { Servers = "127.0.0.1:1" });
        ICacheStore[] stores = [new MemoryCacheStore(), new CasMemoryStore(), new CasDelegatingStore(new CasMemoryStore()), new DelegatingStore(new MemoryCacheStore()), memcached];
        foreach (var store in stores)
        {
            var engine = ((IEngineScope)new ApplicationCache(store, new TenantCacheOptions { Application = "w" })).Engine;
            Assert.Equal(engine.TokenReuseWindow, CheckProcess.DefaultWindow(store));
        }

        Assert.Equal(TenantCacheOptions.DefaultTokenReuseWindow, CheckProcess.DefaultWindow(memcached));
        Assert.Equal(TokenRecord.MaxWindow, Judge.MaxTokenWindow);
    }

    [Fact]
    public void Processes_and_windows_are_planned_from_the_options()
    {
        Assert.Equal([null, null], CheckProcess.Plan(new CheckOptions()).Select(p => p.Window));
        Assert.All(CheckProcess.Plan(new CheckOptions { TokenWindow = Window }), p => Assert.Equal(Window, p.Window));

        var mixed = CheckProcess.Plan(new CheckOptions { MixedWindows = true, LegacyReaders = true });
        Assert.Equal(CheckProcess.MixedWindows, mixed.Where(p => p.Role == ProcessRole.Full).Select(p => p.Window));
        Assert.Equal(CheckProcess.ClearWindow, Assert.Single(mixed, p => p.Role == ProcessRole.ClearOnly).Window);
        Assert.Equal(3, mixed.Count(p => p.Role == ProcessRole.Legacy));
        Assert.Equal(Enumerable.Range(0, mixed.Count), mixed.Select(p => p.Index));
        Assert.DoesNotContain(mixed, p => p.Role == ProcessRole.Legacy && p.Invalidates);
        Assert.DoesNotContain(mixed, p => p.Role == ProcessRole.ClearOnly && p.ReadsAndWrites);

        Assert.Null(CheckOptions.ParseWindow("default"));
        Assert.Null(CheckOptions.ParseWindow(null));
        Assert.Equal(TimeSpan.Zero, CheckOptions.ParseWindow("0"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), CheckOptions.ParseWindow("250"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), CheckOptions.ParseWindow("250ms"));
        foreach (var bad in new[] { "1001", "-1", "abc", "0.5" })
        {
            Assert.Throws<CliUsageException>(() => CheckOptions.ParseWindow(bad));
        }

        Assert.Contains("exclude each other", new CheckOptions { TokenWindow = Window, MixedWindows = true }.Validate(), StringComparison.Ordinal);
        Assert.Contains(" --token-window 200 --legacy-readers", new CheckOptions { TokenWindow = Window, LegacyReaders = true }.CommandLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_with_a_window_and_legacy_readers_reuses_tokens_and_holds_every_invariant()
    {
        var options = Options(5, Window); // five seconds: get-or-creates now wait out leases kept by holders whose factory failed
        options.LegacyReaders = true;
        var result = await RunAsync(options, () => new CasMemoryStore(), "memory (CAS)");
        var tally = result.Tally!;

        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
        Assert.Null(result.Summary.Insufficient);
        foreach (var app in result.Caches)
        {
            for (var p = 0; p < app.Count; p++)
            {
                Assert.Equal(tally.Windows[p], ((IEngineScope)app[p]).Engine.TokenReuseWindow);
            }
        }

        Assert.Equal([Window, Window, TimeSpan.Zero], tally.Windows);
        Assert.True(tally.ReusedReads > tally.WindowReads / 2, $"reused {tally.ReusedReads} of {tally.WindowReads}");
        var legacy = tally.Processes.Single(p => p.Role == ProcessRole.Legacy).Index;
        Assert.True(tally.TokenFreeReadsOf(legacy) < tally.ReadsOf(legacy) / 10, $"legacy: {tally.TokenFreeReadsOf(legacy)} of {tally.ReadsOf(legacy)}");
        Assert.Equal(0, tally.InvalidationsOf(legacy));
        // Most replaced tokens promised 200 ms; those the legacy process created (no flags) promised nothing.
        Assert.True(tally.MeanInvalidationOf(0) >= Window / 2, $"mean invalidation {tally.MeanInvalidationOf(0)}: the window was not waited out");
        Assert.True(result.Summary.Invalidations >= 50 && result.Summary.Hits >= 500 && result.Verdict.LocalityChecked >= 100, result.Summary.Line);
    }

    [Fact]
    public async Task A_window_the_engine_cannot_use_fails_the_run_instead_of_passing_silently()
    {
        // A store without CAS: the engine reads every token, whatever the window asked for.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var target = new CheckTarget("memory without CAS", () => new DelegatingStore(new MemoryCacheStore()), []);

        var code = await CheckCommand.RunAsync(Options(2, Window), target, stdout, stderr);

        output.WriteLine(stdout.ToString());
        Assert.Equal(1, code);
        Assert.Contains("the window is off", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalidation_that_does_not_wait_out_the_window_is_caught_as_I1()
    {
        HiddenPromiseStore? store = null;
        var result = await RunAsync(Options(3, Window), () => store = new HiddenPromiseStore(new CasMemoryStore()), "memory, promises hidden from invalidations");

        Assert.True(store!.Hidden > 0);
        Assert.True(result.Tally!.ReusedReads > 0);
        Assert.True(result.Verdict.ByInvariant.GetValueOrDefault("I1") > 0, ReportText.Of(result));
        Assert.Contains("tokens reused", ReportText.Of(result), StringComparison.Ordinal);

        // The same run through a faithful wrapper is clean: the violations are the lie's.
        var control = await RunAsync(Options(3, Window), () => new CasDelegatingStore(new CasMemoryStore()), "memory, faithful wrapper");
        Assert.True(control.Summary.Violations == 0, ReportText.Of(control));
        Assert.True(control.Tally!.ReusedReads > 0);
    }

    [Fact]
    public async Task A_store_that_loses_invalidations_is_caught_as_I1_with_a_window_too()
    {
        var result = await RunAsync(Options(2, Window), () => new LostInvalidationStore(new CasMemoryStore()), "lost-invalidations, Δ=200ms");

        Assert.True(result.Tally!.ReusedReads > 0);
        Assert.True(result.Verdict.ByInvariant.GetValueOrDefault("I1") > 0, ReportText.Of(result));
    }
}
