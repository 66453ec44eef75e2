using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Pushes a sliding entry's expiry forward, without making the reader wait for it. The store port
    /// has no compare-and-touch, so a rewrite of the key can land between the read and the touch; the
    /// renewal therefore re-reads the key after touching it and, when the entry there is not the one read
    /// (its sliding window or deadline differ), touches it again with its <em>own</em> lifetime. Entries
    /// with the same window and deadline are renewed alike, so touching one for the other is harmless.
    /// Residual race: a third write between that re-read and the repair (one round trip), documented in
    /// docs/guarantees.md.
    /// </summary>
    private void RenewSliding(string storeKey, in EnvelopeView view, long nowUnixMs)
    {
        var ttl = LifetimeLeft(view.SlidingWindow, view.DeadlineUnixMs, nowUnixMs);
        ValueTask renewal;
        try
        {
            renewal = RenewAsync(storeKey, ttl, view.SlidingCode, view.DeadlineUnixMs, view.Version);
        }
        catch (Exception ex)
        {
            Log.TouchFailed(_logger, storeKey, ex);
            return;
        }

        if (!renewal.IsCompletedSuccessfully)
        {
            _ = ObserveRenewalAsync(renewal, storeKey);
        }
    }

    private async ValueTask RenewAsync(string storeKey, TimeSpan? ttl, uint slidingCode, long deadlineUnixMs, byte version)
    {
        if (!await _store.TouchAsync(storeKey, ttl, CancellationToken.None).ConfigureAwait(false))
        {
            return; // gone: nothing was stretched
        }

        var keys = new[] { storeKey };
        var items = new StoreItem[1];
        await _store.GetManyAsync(keys, items, CancellationToken.None).ConfigureAwait(false);
        if (!items[0].Found || !Envelope.TryParse(items[0].Value, out var current, out _))
        {
            return;
        }

        if (current.SlidingCode == slidingCode && current.DeadlineUnixMs == deadlineUnixMs && current.Version == version)
        {
            return; // the entry read, or one with the very same lifetime
        }

        // Rewritten meanwhile: give the new entry back its own lifetime, not the old entry's window.
        var own = LifetimeLeft(current.SlidingWindow, current.DeadlineUnixMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        await _store.TouchAsync(storeKey, own, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// What is left of an entry's lifetime from <paramref name="nowUnixMs"/>: its sliding window, bounded by
    /// its deadline; <see langword="null"/> (never) when it neither slides within <see cref="SlidingCode.MaxWindow"/>
    /// nor has a deadline before <see cref="DateTimeOffset.MaxValue"/>.
    /// </summary>
    private static TimeSpan? LifetimeLeft(TimeSpan? window, long deadlineUnixMs, long nowUnixMs)
    {
        TimeSpan? ttl = window is { } w && w < SlidingCode.MaxWindow ? w : null;
        if (deadlineUnixMs != 0 && deadlineUnixMs != Envelope.MaxDeadlineUnixMs)
        {
            var left = TimeSpan.FromMilliseconds(Math.Max(0, deadlineUnixMs - nowUnixMs));
            ttl = ttl is { } t && t < left ? t : left;
        }

        return ttl;
    }

    private async Task ObserveRenewalAsync(ValueTask renewal, string storeKey)
    {
        try
        {
            await renewal.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.TouchFailed(_logger, storeKey, ex);
        }
    }
}
