using TenantCache.Stores;

namespace TenantCache.Tests.Support;

/// <summary>
/// A store whose selected operations wait <see cref="Delay"/> on a (fake) clock before they run, honouring
/// cancellation; <see cref="Timeout.InfiniteTimeSpan"/> waits until cancelled. Unselected ones forward at once.
/// </summary>
internal sealed class StallingStore(ICacheStore inner, TimeProvider time) : DelegatingStore(inner)
{
    public TimeSpan Delay { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Which keys stall; all by default.</summary>
    public Func<string, bool> Stalls { get; set; } = _ => true;

    public int Cancelled;

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        var stall = false;
        foreach (var key in keys.Span)
        {
            stall |= Stalls(key);
        }

        if (stall)
        {
            await WaitAsync(cancellationToken);
        }

        await Inner.GetManyAsync(keys, results, cancellationToken);
    }

    public override async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        if (Stalls(key))
        {
            await WaitAsync(cancellationToken);
        }

        return await Inner.SetAsync(key, value, mode, expiry, cancellationToken);
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref Cancelled);
            throw;
        }
    }
}
