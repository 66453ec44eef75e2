using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// Regression tests for engine bugs the checker found (fixed: a caller joins a flight whose tokens are
/// unknown only if that flight's factory started after the caller did).
/// </summary>
public sealed class EngineFindingsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Fails every batched read (lease reads and marks included) while <see cref="FailReads"/> is set; writes (and so invalidations) work.</summary>
    internal sealed class FailingReadsStore(ILeaseCacheStore inner) : LeaseDelegatingStore(inner)
    {
        public volatile bool FailReads;

        public override ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default) =>
            FailReads ? ValueTask.FromException(new CacheStoreException("read failed (test)")) : base.GetManyAsync(keys, results, knownCas, lease, cancellationToken);

        public override ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
            FailReads ? ValueTask.FromException<StoreItem>(new CacheStoreException("read failed (test)")) : base.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);

        public override ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
            FailReads ? ValueTask.FromException(new CacheStoreException("read failed (test)")) : base.GetManyAsync(keys, results, cancellationToken);

        public override ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default) =>
            FailReads ? ValueTask.FromException(new CacheStoreException("read failed (test)")) : base.GetManyAsync(keys, results, knownCas, cancellationToken);
    }

    /// <summary>
    /// I1 inside the process (docs/design.md: "a caller that arrives after an invalidation reads new
    /// tokens and therefore never joins a computation that started before it"). When the read fails,
    /// the engine has no tokens and keys the single flight by the data key alone, so a caller that
    /// starts after an invalidation returned joins a factory call that started before it and gets
    /// the value computed from pre-invalidation data. Realistic when the data key's server is down
    /// and the version key's server is up (the invalidation succeeds).
    /// </summary>
    [Fact]
    public async Task A_get_or_create_after_an_invalidation_never_joins_a_computation_that_started_before_it_even_when_reads_fail()
    {
        var store = new FailingReadsStore(new CasMemoryStore()) { FailReads = true };
        // Without CAS: the invalidation is a blind write, which succeeds while reads fail (with CAS it reads the old token first).
        var cache = new ApplicationCache(new TenantCache.Tests.Support.DelegatingStore(store), new TenantCacheOptions { Application = "finding" });
        var tenant = cache.Tenant("t");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var before = tenant.GetOrCreateAsync("k", async _ =>
        {
            started.SetResult();
            await gate.Task;
            return "computed before the invalidation";
        }).AsTask();
        await started.Task;

        await tenant.InvalidateAsync(); // the version key is writable: this succeeds and returns

        var after = tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("computed after the invalidation")).AsTask();
        await Task.Delay(50);
        gate.SetResult();

        Assert.Equal("computed before the invalidation", await before);
        Assert.Equal("computed after the invalidation", await after);
    }

    /// <summary>The same bug, found by the checker: reads fail during injected faults, I1 is judged.</summary>
    [Fact]
    public async Task The_checker_with_failing_reads_holds_I1()
    {
        FailingReadsStore? store = null;
        var fault = new SwitchFault("failing-reads", on => store!.FailReads = on);
        var target = new TenantCache.Cli.Check.CheckTarget(
            "memory with failing reads",
            () => store = new FailingReadsStore(new CasMemoryStore()),
            [fault]);
        var options = new TenantCache.Cli.Check.CheckOptions { Seconds = 6, Workers = 8, Seed = 4 };

        var result = await new TenantCache.Cli.Check.CheckRunner(options, target).RunAsync();
        output.WriteLine(ReportText.Of(result));

        Assert.True(fault.Started > 0);
        Assert.Equal(fault.Started, result.Summary.Faults);
        Assert.True(result.Summary.StoreErrors > 0);
        Assert.True(result.Summary.Violations == 0, ReportText.Of(result));
    }
}

