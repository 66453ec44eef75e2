using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>Pushes a sliding entry's expiry forward, without making the reader wait for it.</summary>
    private void RenewSliding(string storeKey, TimeSpan window, long deadlineUnixMs, long nowUnixMs)
    {
        var ttl = window;
        if (deadlineUnixMs != 0)
        {
            var left = TimeSpan.FromMilliseconds(deadlineUnixMs - nowUnixMs);
            ttl = left < ttl ? left : ttl;
        }

        ValueTask<bool> touch;
        try
        {
            touch = _store.TouchAsync(storeKey, ttl, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.TouchFailed(_logger, storeKey, ex);
            return;
        }

        if (touch.IsCompletedSuccessfully)
        {
            _ = touch.Result;
        }
        else
        {
            _ = ObserveTouchAsync(touch, storeKey);
        }
    }

    private async Task ObserveTouchAsync(ValueTask<bool> touch, string storeKey)
    {
        try
        {
            await touch.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.TouchFailed(_logger, storeKey, ex);
        }
    }
}
