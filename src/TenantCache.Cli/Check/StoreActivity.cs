using System.Diagnostics;

namespace TenantCache.Cli.Check;

/// <summary>
/// What is still going on in a run's processes: store calls in flight and get-or-create factories running.
/// A get-or-create may recompute in the background after it returned (a stale value served, a soft timeout),
/// so the history is complete only once both are zero; <see cref="QuiesceAsync"/> waits for that.
/// </summary>
internal sealed class StoreActivity
{
    private int _calls;
    private int _factories;

    public int CallsInFlight => Volatile.Read(ref _calls);

    public int FactoriesRunning => Volatile.Read(ref _factories);

    public ValueTask Track(ValueTask call)
    {
        if (call.IsCompleted)
        {
            return call;
        }

        return TrackAsync(call);
    }

    public ValueTask<T> Track<T>(ValueTask<T> call)
    {
        if (call.IsCompleted)
        {
            return call;
        }

        return TrackAsync(call);
    }

    /// <summary>A factory began; dispose the result when it ends.</summary>
    public FactoryRun FactoryStarted()
    {
        Interlocked.Increment(ref _factories);
        return new FactoryRun(this);
    }

    /// <summary>
    /// Waits until no store call is in flight and no factory runs, seen twice <paramref name="settle"/> apart
    /// (a write-back follows its factory's end by a few continuations), or until <paramref name="limit"/>.
    /// Returns whether it got quiet.
    /// </summary>
    public async Task<bool> QuiesceAsync(TimeSpan settle, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var quietOnce = false;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var quiet = CallsInFlight == 0 && FactoriesRunning == 0;
            if (quiet && quietOnce)
            {
                return true;
            }

            quietOnce = quiet;
            await Task.Delay(settle);
        }

        return false;
    }

    private async ValueTask TrackAsync(ValueTask call)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await call;
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }

    private async ValueTask<T> TrackAsync<T>(ValueTask<T> call)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await call;
        }
        finally
        {
            Interlocked.Decrement(ref _calls);
        }
    }

    /// <summary>Ends a factory's count when disposed.</summary>
    public readonly struct FactoryRun(StoreActivity activity) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref activity._factories);
    }
}
