using TenantCache.Stores;

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
    private sealed class StepHookStore(MemoryCacheStore inner) : ILeaseCacheStore
    {
        public Func<Task>? BeforeNextMark { get; set; }

        public int MaxValueLength => inner.MaxValueLength;

        public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
            inner.GetManyAsync(keys, results, cancellationToken);

        public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default) =>
            inner.GetManyAsync(keys, results, knownCas, cancellationToken);

        public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default) =>
            inner.GetManyAsync(keys, results, knownCas, lease, cancellationToken);

        public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
            inner.SetAsync(key, value, mode, expiry, cancellationToken);

        public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
            inner.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);

        public async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        {
            if (BeforeNextMark is { } hook)
            {
                BeforeNextMark = null;
                await hook();
            }

            return await inner.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cas, cancellationToken);

        public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => inner.TouchAsync(key, expiry, cancellationToken);
    }
}
