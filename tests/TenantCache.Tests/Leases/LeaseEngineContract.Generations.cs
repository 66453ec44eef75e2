namespace TenantCache.Tests.Leases;

/// <summary>
/// A lease belongs to one generation of its entry. A caller whose tokens are newer than the holder's must not
/// wait for a value it could never serve: it takes the lease over at once, and callers of its own generation
/// wait for it. The leases here last a minute, so a caller that waited for the older holder fails the test.
/// </summary>
public abstract partial class LeaseEngineContract
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);


    [Fact(Timeout = 60_000)]
    public async Task A_caller_after_an_invalidation_takes_over_a_cold_keys_older_lease_at_once()
    {
        var store = NewStore();
        var app = NewApplication();
        var older = Process(store, app, LongLease).Tenant("t");
        var (olderCall, release) = await HoldLeaseAsync(older, "k");
        await older.InvalidateAsync();

        var runs = 0;
        var newer = Enumerable.Range(0, 3).Select(_ => Process(store, app, LongLease).Tenant("t")).ToArray();
        var calls = newer.SelectMany(p => Enumerable.Range(0, 8).Select(_ => p.GetOrCreateAsync("k", async _ =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(100, CancellationToken.None);
            return "fresh";
        }).AsTask())).ToArray();

        var values = await Task.WhenAll(calls).WaitAsync(Prompt); // a TimeoutException here: they waited for the older holder
        Assert.All(values, v => Assert.Equal("fresh", v));
        Assert.Equal(1, runs); // one run for the new generation, across the three processes
        release.SetResult();
        Assert.Equal("old", await olderCall); // its own caller gets its value...
        Assert.Equal("fresh", (await newer[0].GetAsync<string>("k")).Value); // ...which does not replace the newer entry
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_invalidation_during_a_recompute_does_not_make_readers_wait_for_it()
    {
        var store = NewStore();
        var app = NewApplication();
        var older = Process(store, app, LongLease).Tenant("t");
        var newer = Process(store, app, LongLease).Tenant("t");
        await older.SetAsync("k", "v0");
        await older.InvalidateAsync(); // the holder below detects the dead entry, marks it and recomputes
        var (olderCall, release) = await HoldLeaseAsync(older, "k");
        await newer.InvalidateAsync(); // a second invalidation while it computes

        var value = await newer.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult("v2")).AsTask().WaitAsync(Prompt);
        Assert.Equal(("v2", GetOrCreateOutcome.Computed), (value.Value, value.Outcome));
        release.SetResult();
        Assert.Equal("old", await olderCall);
        Assert.Equal("v2", (await older.GetAsync<string>("k")).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task Callers_of_the_holders_own_generation_still_wait_for_it()
    {
        var store = NewStore();
        var app = NewApplication();
        var holder = Process(store, app, LongLease).Tenant("t");
        var waiter = Process(store, app, LongLease).Tenant("t");
        var (holderCall, release) = await HoldLeaseAsync(holder, "k");

        var runs = 0;
        var waiting = waiter.GetOrCreateWithOutcomeAsync("k", _ =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.FromResult("second run");
        }).AsTask();
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "a caller of the holder's generation did not wait for it");
        release.SetResult();
        Assert.Equal("old", await holderCall);
        var waited = await waiting.WaitAsync(Prompt);
        Assert.Equal(("old", GetOrCreateOutcome.Joined, 0), (waited.Value, waited.Outcome, runs));
    }

    /// <summary>Starts a get-or-create whose factory holds the key's lease until released; returns once it runs.</summary>
    private static async Task<(Task<string> Call, TaskCompletionSource Release)> HoldLeaseAsync(ICacheScope tenant, string key)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = tenant.GetOrCreateAsync(key, async _ =>
        {
            started.SetResult();
            await release.Task;
            return "old";
        }).AsTask();
        await started.Task.WaitAsync(Prompt);
        return (call, release);
    }
}
