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

    /// <summary>Get-or-create with an entry plan resolved by the caller.</summary>
    public ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, CancellationToken cancellationToken) =>
        GetOrCreateAsync(scope, key, factory, plan, outcome: null, cancellationToken);

    private async ValueTask<T> GetOrCreateAsync<T>(
        ScopePath scope, string key, Func<CancellationToken, ValueTask<T>> factory, EntryPlan plan, StrongBox<GetOrCreateOutcome>? outcome, CancellationToken cancellationToken)
    {
        var callStarted = Stopwatch.GetTimestamp();
        var canonicalKey = scope.CanonicalDataKey(key);
        var storeKey = KeyEncoder.Bound(canonicalKey);

        // Callers whose leader was cancelled start over; bounded so a storm of cancellations cannot spin.
        for (var attempt = 0; ; attempt++)
        {
            var levelTokens = new ulong[scope.Levels];
            var read = await ReadAsync<T>(scope, canonicalKey, storeKey, levelTokens, cancellationToken).ConfigureAwait(false);
            if (read.Result.TryGetValue(out var cached))
            {
                return Report(outcome, GetOrCreateOutcome.Hit, cached);
            }

            ulong[]? tokens = null;
            if (!read.StoreFailed)
            {
                tokens = plan.TagKeys.Length == 0 && !levelTokens.Contains(0UL)
                    ? levelTokens
                    : await EnsureTokensAsync(plan.VersionKeys, cancellationToken).ConfigureAwait(false);
            }

            var flightKey = FlightKey(storeKey, tokens);
            var flight = new Flight<T>();
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

                try
                {
                    return Report(outcome, GetOrCreateOutcome.Joined, await joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (attempt < 2)
                    {
                        continue; // the leader's caller gave up; try again, possibly as the leader
                    }

                    // Leaders keep being cancelled: compute alone rather than pass on a cancellation
                    // this caller did not ask for.
                    return Report(outcome, GetOrCreateOutcome.Computed, await factory(cancellationToken).ConfigureAwait(false));
                }
            }

            try
            {
                flight.MarkFactoryStarted();
                var value = await factory(cancellationToken).ConfigureAwait(false);
                flight.Complete(value); // joiners need not wait for the store write
                if (tokens is not null)
                {
                    var mode = read.DataAbsent ? StoreSetMode.Add : StoreSetMode.Set;
                    await WriteAsync(scope, canonicalKey, storeKey, value, plan, tokens, mode, throwIfTooLarge: false, cancellationToken).ConfigureAwait(false);
                }

                return Report(outcome, GetOrCreateOutcome.Computed, value);
            }
            catch (Exception ex)
            {
                flight.Fail(ex);
                throw;
            }
            finally
            {
                _flights.TryRemove(new KeyValuePair<string, object>(flightKey, flight));
            }
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
        var tokens = await EnsureTokensAsync(plan.VersionKeys, cancellationToken).ConfigureAwait(false);
        var value = await factory(cancellationToken).ConfigureAwait(false);
        if (tokens is not null)
        {
            var canonicalKey = scope.CanonicalDataKey(key);
            await WriteAsync(scope, canonicalKey, KeyEncoder.Bound(canonicalKey), value, plan, tokens, StoreSetMode.Set, throwIfTooLarge: false, cancellationToken).ConfigureAwait(false);
        }

        return value;
    }

    private static T Report<T>(StrongBox<GetOrCreateOutcome>? outcome, GetOrCreateOutcome path, T value)
    {
        if (outcome is not null)
        {
            outcome.Value = path;
        }

        return value;
    }

    private static string FlightKey(string storeKey, ulong[]? tokens)
    {
        if (tokens is null)
        {
            return storeKey + "|-";
        }

        var sb = new StringBuilder(storeKey.Length + (tokens.Length * 17));
        sb.Append(storeKey);
        foreach (var token in tokens)
        {
            sb.Append('|').Append(token.ToString("x16", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>One in-process factory call that concurrent callers share.</summary>
    private sealed class Flight<T>
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _factoryStarted = long.MaxValue;

        public Task<T> Task => _completion.Task;

        public void MarkFactoryStarted() => Volatile.Write(ref _factoryStarted, Stopwatch.GetTimestamp());

        /// <summary>
        /// Whether the factory started after <paramref name="timestamp"/>, or has not started yet: then
        /// it computes from data at least as new as any invalidation that returned before that moment.
        /// </summary>
        public bool FactoryStartedAfter(long timestamp) => Volatile.Read(ref _factoryStarted) >= timestamp;

        public void Complete(T value) => _completion.TrySetResult(value);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException canceled)
            {
                _completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _completion.TrySetException(exception);
                _ = _completion.Task.Exception; // observed: callers that joined have theirs rethrown
            }
        }
    }
}
