using TenantCache.Stores;
using TenantCache.Tests.Check;

namespace TenantCache.Tests.Leases;

/// <summary>Races between one process's steps and another's, placed exactly with a store that runs code before a step.</summary>
public sealed class LeaseRaceTests
{
    [Fact(Timeout = 30_000)]
    public async Task A_detector_whose_mark_finds_the_fleets_new_value_serves_it_and_computes_nothing()
    {
        var store = new StepHookStore(new MemoryCacheStore());
        var options = new TenantCacheOptions { Application = "race-" + Guid.NewGuid().ToString("N")[..8] };
        var writer = new ApplicationCache(store, options).Tenant("t");
        var detector = new ApplicationCache(store, options).Tenant("t");
        await writer.SetAsync("k", "v0");
        await writer.InvalidateAsync();

        // The detector reads the dead entry; before its mark reaches the store, another process writes the new value.
        store.BeforeNextMark = async () => await writer.SetAsync("k", "v1");
        var runs = 0;
        var result = await detector.GetOrCreateWithOutcomeAsync("k", _ =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.FromResult("computed again");
        });

        Assert.Null(store.BeforeNextMark); // the race happened
        Assert.Equal(("v1", GetOrCreateOutcome.Hit, 0), (result.Value, result.Outcome, runs));
    }

    /// <summary>A lease store (networked defaults: not the in-process type) that runs a hook once, before a mark.</summary>
    private sealed class StepHookStore(MemoryCacheStore inner) : CasMemoryStore(inner)
    {
        public Func<Task>? BeforeNextMark { get; set; }

        public override async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            if (BeforeNextMark is { } hook)
            {
                BeforeNextMark = null;
                await hook();
            }

            return await base.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);
        }
    }
}
