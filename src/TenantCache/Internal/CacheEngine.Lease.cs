using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>What a get-or-create's reads ask for, given its plan and this engine's store.</summary>
    private ReadWants Wants(EntryPlan plan)
    {
        var failSafeMs = plan.FailSafeFor is { } failSafe ? (long)Math.Min(failSafe.TotalMilliseconds, long.MaxValue / 2) : 0;
        if (_leaseStore is null)
        {
            return new ReadWants(TimeSpan.Zero, TimeSpan.Zero, Stale: false, failSafeMs);
        }

        return new ReadWants(_options.Leases.Duration, plan.EarlyRefresh ?? TimeSpan.Zero, plan.StaleFor is not null, failSafeMs);
    }

    /// <summary>
    /// Tells the store an entry it holds is dead (it cannot see a token mismatch): marks it stale if its CAS is
    /// still the one read, then reads it with a lease request, in one round trip. Exactly one caller per entry
    /// generation gets the lease. A store failure leaves <paramref name="seen"/> as it was (no lease: the
    /// caller computes as without leases).
    /// </summary>
    private async ValueTask<DataSeen> MarkAsync<T>(EntryCall<T> entry, DataSeen seen, StoreCall call)
    {
        var staleFor = EntryFlags.StaleFor(seen.Flags);
        if (staleFor <= TimeSpan.Zero)
        {
            staleFor = _options.Leases.Duration; // long enough for the holder's write-back to find its item
        }

        try
        {
            var item = await call.Watch(_leaseStore!.MarkStaleAsync(entry.StoreKey, seen.Cas, staleFor, _options.Leases.Duration, call.Token)).ConfigureAwait(false);
            LeaseMetrics.Marked(Application);
            return item.Found
                ? new DataSeen(item.Cas, item.Lease, item.Flags) { NeedsRecompute = true, Placeholder = item.Value.Length == 0 && !item.IsUnchanged }
                : default;
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            StoreFailedOnRead(StoreOperation.Read, call.Classify(ex));
            return seen with { Lease = StoreLeaseState.None };
        }
    }

    /// <summary>
    /// Waits for the process that holds the lease to write the entry back: polls with the strict read (5 ms,
    /// doubling, at most 100 ms apart), takes a lease handed over by a caller of this process, and takes the
    /// lease over (CAS-guarded, so only one waiter does) once it has waited <see cref="LeaseOptions.Duration"/>, or at
    /// once when the holder's note says it computes for tokens an invalidation has replaced since.
    /// </summary>
    private async ValueTask<LeaseWait<T>> AwaitLeaseAsync<T>(EntryCall<T> entry, Flight<T> flight, DataSeen seen, ulong[] callerTokens, StoreCall call)
    {
        var confirmed = new LeaseConfirmation();
        call.Resume();
        try
        {
            if (await LeaseSupersededAsync(entry, seen.Cas, callerTokens, confirmed, call).ConfigureAwait(false))
            {
                var taken = await TakeOverSupersededAsync(entry, seen, call).ConfigureAwait(false);
                if (taken.Won || !taken.Held)
                {
                    return LeaseWait<T>.Lead(taken, callerTokens, default);
                }
            }
        }
        finally
        {
            call.Pause();
        }

        LeaseMetrics.Waited(Application);
        var began = _time.GetTimestamp();
        var delay = FirstPoll;
        var tookOver = false;
        while (true)
        {
            var offered = flight.LeaseOffered;
            await Task.WhenAny(Task.Delay(delay, _time, call.Caller), offered).ConfigureAwait(false);
            call.Caller.ThrowIfCancellationRequested();
            if (offered.IsCompleted)
            {
                return LeaseWait<T>.Lead(await offered.ConfigureAwait(false), tokens: null, default);
            }

            delay = delay * 2 > LongestPoll ? LongestPoll : delay * 2;
            var levelTokens = new ulong[entry.Scope.Levels];
            call.Resume();
            try
            {
                var read = await ReadAsync<T>(entry.Scope, entry.CanonicalKey, entry.StoreKey, levelTokens, call, entry.Wants).ConfigureAwait(false);
                if (read.Result.TryGetValue(out var value))
                {
                    return LeaseWait<T>.Hit(value);
                }

                if (read.StoreFailed)
                {
                    return LeaseWait<T>.Alone;
                }

                var now = read.Seen;
                if (!now.Won && now.NeedsRecompute && now.Lease == StoreLeaseState.None)
                {
                    now = await MarkAsync(entry, now, call).ConfigureAwait(false); // rewritten under older tokens: dead again
                }
                else if (!now.Won && now.Held && await LeaseSupersededAsync(entry, now.Cas, levelTokens, confirmed, call).ConfigureAwait(false))
                {
                    now = await TakeOverSupersededAsync(entry, now, call).ConfigureAwait(false); // an invalidation landed meanwhile
                }
                else if (!now.Won && now.Held && _time.GetElapsedTime(began) >= _options.Leases.Duration)
                {
                    if (tookOver)
                    {
                        LeaseMetrics.GaveUp(Application);
                        return LeaseWait<T>.Alone; // waited twice the lease: compute, write nothing
                    }

                    tookOver = true;
                    began = _time.GetTimestamp();
                    now = await MarkAsync(entry, now, call).ConfigureAwait(false); // the holder is slow or gone
                    if (now.Won)
                    {
                        LeaseMetrics.Takeover(Application);
                    }
                }

                if (now.Won || !now.Held)
                {
                    // The lease is ours, or the store kept none (no placeholder could be made): compute.
                    var tokens = await TokensAfterMissAsync(entry.Plan.VersionKeys, levelTokens, call).ConfigureAwait(false);
                    return tokens is null ? LeaseWait<T>.Alone : LeaseWait<T>.Lead(now, tokens, read.Fallback);
                }
            }
            finally
            {
                call.Pause();
            }
        }
    }

    /// <summary>Takes over a lease won for an older generation (CAS-guarded: one caller of the newer one gets it).</summary>
    private async ValueTask<DataSeen> TakeOverSupersededAsync<T>(EntryCall<T> entry, DataSeen seen, StoreCall call)
    {
        var now = await MarkAsync(entry, seen, call).ConfigureAwait(false);
        if (now.Won)
        {
            LeaseMetrics.Superseded(Application);
        }

        return now;
    }

    /// <summary>Gives back a lease whose placeholder was not replaced (no value to store), so that a waiter takes it at once.</summary>
    private Task ReleaseAsync(string storeKey, ulong cas) => ReleaseAsync(_leaseStore!, storeKey, cas);

    private async Task ReleaseAsync(ILeaseCacheStore store, string storeKey, ulong cas)
    {
        try
        {
            using var deadline = new CancellationTokenSource(BackgroundTimeout, _time);
            await store.DeleteAsync(storeKey, cas, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CacheStoreException or OperationCanceledException)
        {
            // Not given back: waiters take it over after the lease's duration.
        }
    }

    private T ServeStale<T>(System.Runtime.CompilerServices.StrongBox<GetOrCreateOutcome>? outcome, T value)
    {
        LeaseMetrics.StaleServed(Application);
        return Report(outcome, GetOrCreateOutcome.Stale, value);
    }
}

/// <summary>How waiting for another process's lease ended.</summary>
internal readonly struct LeaseWait<T>
{
    private LeaseWait(LeaseWaitKind kind, T value, DataSeen lease, ulong[]? tokens, Fallback<T> fallback)
    {
        Kind = kind;
        Value = value;
        Lease = lease;
        Tokens = tokens;
        Fallback = fallback;
    }

    public static LeaseWait<T> Alone => new(LeaseWaitKind.Alone, default!, default, null, default);

    public LeaseWaitKind Kind { get; }

    /// <summary>The entry the holder wrote (<see cref="LeaseWaitKind.Hit"/>).</summary>
    public T Value { get; }

    /// <summary>The lease now held (<see cref="LeaseWaitKind.Lead"/>); not won when the store kept none.</summary>
    public DataSeen Lease { get; }

    /// <summary>The tokens to stamp the write with; <see langword="null"/>: those the caller read.</summary>
    public ulong[]? Tokens { get; }

    public Fallback<T> Fallback { get; }

    public static LeaseWait<T> Hit(T value) => new(LeaseWaitKind.Hit, value, default, null, default);

    public static LeaseWait<T> Lead(DataSeen lease, ulong[]? tokens, Fallback<T> fallback) => new(LeaseWaitKind.Lead, default!, lease, tokens, fallback);
}

internal enum LeaseWaitKind
{
    /// <summary>The entry was written: a hit.</summary>
    Hit,

    /// <summary>This caller computes (with the lease, or where the store keeps none).</summary>
    Lead,

    /// <summary>No lease could be had: compute and write nothing.</summary>
    Alone,
}
