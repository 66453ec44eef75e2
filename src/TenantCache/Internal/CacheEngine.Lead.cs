using System.Runtime.CompilerServices;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// This process's leader for an entry: waits for the fleet's recompute when another process holds the
    /// lease; otherwise runs the factory (under the lease when it has one) and writes the value back. A value
    /// that may stand in (stale when the call allows it, expired within its fail-safe time) is returned when
    /// the factory fails, or when it runs past its soft timeout (the factory then finishes in the background).
    /// </summary>
    private async ValueTask<T> LeadAsync<T>(
        EntryCall<T> entry, Flight<T> flight, string flightKey, ReadOutcome<T> read, DataSeen seen, ulong[]? tokens, StrongBox<GetOrCreateOutcome>? outcome, StoreCall call)
    {
        var fallback = read.Fallback;
        var mode = read.DataAbsent ? StoreSetMode.Add : StoreSetMode.Set;
        var detached = false; // background work owns the flight from then on
        try
        {
            if (_leaseStore is not null && tokens is not null && !seen.Won && seen.Held)
            {
                var waited = await AwaitLeaseAsync(entry, flight, seen, tokens, call).ConfigureAwait(false);
                if (waited.Kind == LeaseWaitKind.Hit)
                {
                    Share(flight, waited.Value);
                    return Report(outcome, GetOrCreateOutcome.Joined, waited.Value);
                }

                seen = waited.Lease;
                tokens = waited.Kind == LeaseWaitKind.Alone ? null : waited.Tokens ?? tokens;
                fallback = waited.Fallback.Exists ? waited.Fallback : fallback;
            }

            var lease = seen.Won ? seen.Cas : 0;
            if (seen.Won)
            {
                LeaseMetrics.Won(Application);
                if (tokens is not null)
                {
                    PublishLeaseNote(entry, seen.Cas, tokens); // so that a caller of a newer generation need not wait for it
                }
            }
            else if (_leaseStore is not null && seen.NeedsRecompute)
            {
                mode = StoreSetMode.Add; // marking found the entry already replaced: never overwrite it
            }

            if (lease != 0 && fallback.Kind == FallbackKind.Invalidated)
            {
                // Stale-while-revalidate: the previous value now, the recompute for the fleet in the background.
                detached = true;
                _ = RecomputeDetachedAsync(entry, flight, flightKey, tokens, seen, mode, rethrow: false);
                return ServeStale(outcome, fallback.Value);
            }

            if (fallback.Exists && entry.Plan.SoftTimeout is { } soft)
            {
                detached = true;
                var work = RecomputeDetachedAsync(entry, flight, flightKey, tokens, seen, mode, rethrow: true);
                if (await Task.WhenAny(work, Task.Delay(soft, _time, call.Caller)).ConfigureAwait(false) != work)
                {
                    _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    LeaseMetrics.FactoryTimeout(Application);
                    Log.FactoryTimedOut(_logger, soft.TotalMilliseconds, Application);
                    return ServeFallback(outcome, fallback);
                }

                try
                {
                    return Report(outcome, GetOrCreateOutcome.Computed, await work.ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !call.Caller.IsCancellationRequested)
                {
                    return ServeFailSafe(outcome, fallback, ex);
                }
            }

            try
            {
                var value = await ComputeAndStoreAsync(entry, flight, tokens, seen, mode, call, call.Caller).ConfigureAwait(false);
                return Report(outcome, GetOrCreateOutcome.Computed, value);
            }
            catch (Exception ex) when (fallback.Exists && !call.IsCallerCancellation(ex))
            {
                Share(flight, fallback.Value); // this process's other callers get the same stand-in
                return ServeFailSafe(outcome, fallback, ex);
            }
        }
        catch (Exception ex)
        {
            flight.Fail(ex);
            throw;
        }
        finally
        {
            if (!detached)
            {
                _flights.TryRemove(new KeyValuePair<string, object>(flightKey, flight));
            }
        }
    }

    /// <summary>
    /// Runs the factory (within its hard timeout), completes the flight, and writes the value stamped with
    /// <paramref name="tokens"/> (nothing when null) — over the lease's item when <paramref name="lease"/> won one.
    /// A placeholder lease that ends without a stored value is given back.
    /// </summary>
    private async Task<T> ComputeAndStoreAsync<T>(
        EntryCall<T> entry, Flight<T> flight, ulong[]? tokens, DataSeen lease, StoreSetMode mode, StoreCall call, CancellationToken factoryToken)
    {
        var leaseCas = lease.Won ? lease.Cas : 0;
        flight.MarkFactoryStarted();
        T value;
        try
        {
            value = await RunFactoryAsync(entry, factoryToken).ConfigureAwait(false);
        }
        catch when (leaseCas != 0 && lease.Placeholder)
        {
            await ReleaseAsync(entry.StoreKey, leaseCas).ConfigureAwait(false);
            throw;
        }

        call.Resume();
        if (!flight.Copies)
        {
            flight.Complete(value); // joiners need not wait for the store write
        }

        var stored = false;
        if (tokens is not null)
        {
            // A copying flight is completed by the write as soon as the payload is encoded
            // (or as not encodable: a serializer failure skips the write and is logged).
            stored = await WriteAsync(entry.Scope, entry.CanonicalKey, entry.StoreKey, value, entry.Plan, tokens, leaseCas != 0 ? StoreSetMode.Set : mode, throwIfTooLarge: false, flight.Copies ? flight : null, call, leaseCas).ConfigureAwait(false);
        }
        else if (flight.Copies && !flight.TryEncode(value, _serializer, out var error))
        {
            Log.SerializationFailed(_logger, Application, error!);
        }

        if (leaseCas != 0 && !stored && lease.Placeholder)
        {
            await ReleaseAsync(entry.StoreKey, leaseCas).ConfigureAwait(false);
        }

        return value;
    }

    /// <summary>The recompute when no caller waits for it (stale served, soft timeout): its own deadline, no caller token.</summary>
    private async Task<T> RecomputeDetachedAsync<T>(EntryCall<T> entry, Flight<T> flight, string flightKey, ulong[]? tokens, DataSeen lease, StoreSetMode mode, bool rethrow)
    {
        var call = BeginCall(CancellationToken.None);
        call.Pause(); // the factory is not the store's time
        try
        {
            return await ComputeAndStoreAsync(entry, flight, tokens, lease, mode, call, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            flight.Fail(ex);
            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var errorType = ex.GetType().Name;
                Log.BackgroundRecomputeFailed(_logger, Application, errorType);
            }
            if (rethrow)
            {
                throw;
            }

            return default!;
        }
        finally
        {
            EndCall(call);
            _flights.TryRemove(new KeyValuePair<string, object>(flightKey, flight));
        }
    }

    /// <summary>The factory, cancelled and abandoned after the plan's hard timeout (<see cref="CacheFactoryTimeoutException"/>).</summary>
    private async ValueTask<T> RunFactoryAsync<T>(EntryCall<T> entry, CancellationToken cancellationToken)
    {
        if (entry.Plan.HardTimeout is not { } hard)
        {
            return await entry.Factory(cancellationToken).ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(hard, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // WaitAsync: a factory that ignores its token is abandoned all the same.
            return await entry.Factory(linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LeaseMetrics.FactoryTimeout(Application);
            Log.FactoryTimedOut(_logger, hard.TotalMilliseconds, Application);
            throw new CacheFactoryTimeoutException(hard);
        }
    }

    /// <summary>Completes a flight with a value its leader did not compute (a hit after waiting, a fail-safe value).</summary>
    private void Share<T>(Flight<T> flight, T value)
    {
        if (!flight.Copies)
        {
            flight.Complete(value);
        }
        else if (!flight.TryEncode(value, _serializer, out var error))
        {
            Log.SerializationFailed(_logger, Application, error!);
        }
    }

    private T ServeFailSafe<T>(StrongBox<GetOrCreateOutcome>? outcome, Fallback<T> fallback, Exception failure)
    {
        Log.FailSafeServed(_logger, Application, failure.GetType().Name);
        return ServeFallback(outcome, fallback);
    }

    private T ServeFallback<T>(StrongBox<GetOrCreateOutcome>? outcome, Fallback<T> fallback)
    {
        if (fallback.Kind == FallbackKind.Invalidated)
        {
            return ServeStale(outcome, fallback.Value);
        }

        LeaseMetrics.FailSafeServed(Application);
        return Report(outcome, GetOrCreateOutcome.FailSafe, fallback.Value);
    }
}
