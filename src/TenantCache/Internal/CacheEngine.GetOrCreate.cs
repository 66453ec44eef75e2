using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Read; on a miss, make sure every token exists and remember them, run the factory once per
    /// (key, tokens) in this process, and write the value stamped with the tokens read before the
    /// factory started (DESIGN.md: an invalidation that lands meanwhile makes that entry dead).
    /// When <paramref name="outcome"/> is given it receives the path that produced the value (exact);
    /// the plain call passes none and pays nothing for it.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, StrongBox<GetOrCreateOutcome>? outcome, CancellationToken cancellationToken) =>
        GetOrCreateAsync(scope, key, factory, Plan(scope, options), outcome, cancellationToken);

    /// <summary>
    /// Get-or-create with an entry plan resolved by the caller. With <paramref name="copyForJoiners"/>,
    /// callers that share another's factory call get their own instance, decoded from the payload the
    /// leader encoded for the store (the leader keeps its own value); without it they share the value.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, bool copyForJoiners, CancellationToken cancellationToken) =>
        GetOrCreateAsync(scope, key, factory, plan, copyForJoiners, outcome: null, cancellationToken);

    private ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, StrongBox<GetOrCreateOutcome>? outcome, CancellationToken cancellationToken) =>
        GetOrCreateAsync(scope, key, factory, plan, copyForJoiners: false, outcome, cancellationToken);

    private async ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, bool copyForJoiners, StrongBox<GetOrCreateOutcome>? outcome, CancellationToken cancellationToken)
    {
        // One deadline for the store steps of the whole call; paused while a factory runs or a joiner waits.
        var call = BeginCall(cancellationToken);
        try
        {
            return await GetOrCreateAsync(scope, key, factory, plan, copyForJoiners, outcome, call).ConfigureAwait(false);
        }
        finally
        {
            EndCall(call);
        }
    }

    private async ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, bool copyForJoiners, StrongBox<GetOrCreateOutcome>? outcome, StoreCall call)
    {
        var cancellationToken = call.Caller;
        var callStarted = Stopwatch.GetTimestamp();
        var canonicalKey = scope.CanonicalDataKey(key);
        var entry = new EntryCall<T>(scope, canonicalKey, KeyEncoder.Bound(canonicalKey), factory, plan, Wants(plan));
        var storeKey = entry.StoreKey;

        // Callers whose leader was cancelled start over; bounded so a storm of cancellations cannot spin.
        var rewritten = 0;
        for (var attempt = 0; ; attempt++)
        {
            var levelTokens = new ulong[scope.Levels];
            var read = await ReadAsync<T>(scope, canonicalKey, storeKey, levelTokens, call, entry.Wants).ConfigureAwait(false);
            if (read.Result.TryGetValue(out var cached))
            {
                if (read.Seen.Won)
                {
                    StartEarlyRefresh(entry, levelTokens, read.Seen); // a hit near its end: this caller refreshes it for the fleet
                }

                return Report(outcome, GetOrCreateOutcome.Hit, cached);
            }

            ulong[]? tokens = null;
            if (!read.StoreFailed)
            {
                tokens = await TokensAfterMissAsync(plan.VersionKeys, levelTokens, call).ConfigureAwait(false);
            }

            var seen = read.Seen;
            if (_leaseStore is not null && tokens is not null && seen.NeedsRecompute && seen.Lease == StoreLeaseState.None)
            {
                seen = await MarkAsync(entry, seen, call).ConfigureAwait(false); // the first to see it dead tells the store
                if (!seen.Won && !seen.Held && seen.Cas != read.Seen.Cas && seen.Cas != 0 && rewritten++ < 2)
                {
                    attempt--;
                    continue; // rewritten since it was read (most likely the fleet's new value): read it, do not compute it again
                }
            }

            if (read.Fallback.Kind == FallbackKind.Invalidated && seen.Held && !seen.Won)
            {
                return ServeStale(outcome, read.Fallback.Value); // someone recomputes it; this call allows the previous value
            }

            call.Pause();
            var flightKey = FlightKey(storeKey, tokens, copyForJoiners);
            var flight = new Flight<T>(copyForJoiners);
            var existing = _flights.GetOrAdd(flightKey, flight);
            if (!ReferenceEquals(existing, flight))
            {
                if (existing is not Flight<T> joined || (tokens is null && !joined.FactoryStartedAfter(callStarted)))
                {
                    // Another type is being computed for the key; or the store could not tell us the
                    // tokens, so nothing proves that flight's factory started after every invalidation
                    // this caller must see (I1). Compute alone, and write nothing.
                    return Report(outcome, GetOrCreateOutcome.Computed, await factory(cancellationToken).ConfigureAwait(false));
                }

                if (seen.Won)
                {
                    joined.OfferLease(seen); // this process's leader may be waiting for the lease this caller got
                }

                T shared;
                try
                {
                    shared = await joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (attempt < 2)
                    {
                        call.Resume();
                        continue; // the leader's caller gave up; try again, possibly as the leader
                    }

                    // Leaders keep being cancelled: compute alone rather than pass on a cancellation
                    // this caller did not ask for.
                    return Report(outcome, GetOrCreateOutcome.Computed, await factory(cancellationToken).ConfigureAwait(false));
                }

                if (joined.Copies && (joined.Unencoded || !TryDecodeShared(joined, storeKey, out shared)))
                {
                    // The leader's value could not be encoded, or the serializer cannot read what it
                    // wrote (a hit would not be served either): this caller gets its own value.
                    return Report(outcome, GetOrCreateOutcome.Computed, await factory(cancellationToken).ConfigureAwait(false));
                }

                return Report(outcome, GetOrCreateOutcome.Joined, shared);
            }

            return await LeadAsync(entry, flight, flightKey, read, seen, tokens, outcome, call).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Computes without reading the entry (nor sharing the computation), and stores the value stamped
    /// with the tokens taken <em>before</em> the factory started, as a miss would: an invalidation
    /// that lands while it runs makes the entry dead (I1). Values over the limit are returned unstored.
    /// </summary>
    public async ValueTask<T> CreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            var tokens = await EnsureTokensAsync(plan.VersionKeys, call).ConfigureAwait(false);
            call.Pause(); // the factory is not the store's time
            var value = await factory(cancellationToken).ConfigureAwait(false);
            call.Resume();
            if (tokens is not null)
            {
                var canonicalKey = scope.CanonicalDataKey(key);
                await WriteAsync(scope, canonicalKey, KeyEncoder.Bound(canonicalKey), value, plan, tokens, StoreSetMode.Set, throwIfTooLarge: false, encoded: null, call).ConfigureAwait(false);
            }

            return value;
        }
        finally
        {
            EndCall(call);
        }
    }

    private static T Report<T>(StrongBox<GetOrCreateOutcome>? outcome, GetOrCreateOutcome path, T value)
    {
        if (outcome is not null)
        {
            outcome.Value = path;
        }

        return value;
    }

    /// <summary>A joiner's own instance of what a copying flight encoded; a payload it cannot decode is rejected, as on a hit.</summary>
    private bool TryDecodeShared<T>(Flight<T> flight, string storeKey, out T value)
    {
        if (PayloadCodec.TryDecode(flight.Kind, flight.Payload, _serializer, out value, out var cause))
        {
            return true;
        }

        Reject(cause, storeKey);
        return false;
    }

    /// <summary>The flight's key: copying and plain flights never meet, so a copying caller never gets a shared instance.</summary>
    private static string FlightKey(string storeKey, ulong[]? tokens, bool copies)
    {
        if (tokens is null)
        {
            return copies ? storeKey + "|-|c" : storeKey + "|-";
        }

        var sb = new StringBuilder(storeKey.Length + (tokens.Length * 17) + 2);
        sb.Append(storeKey);
        foreach (var token in tokens)
        {
            sb.Append('|').Append(token.ToString("x16", CultureInfo.InvariantCulture));
        }

        return copies ? sb.Append("|c").ToString() : sb.ToString();
    }
}
