namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// A hit near its end won the early-refresh lease (<see cref="CacheEntryOptions.EarlyRefresh"/>): this
    /// process recomputes the entry in the background, stamped with the tokens the hit was checked against,
    /// and writes it over the item only if it still has the CAS the lease came with.
    /// </summary>
    private void StartEarlyRefresh<T>(EntryCall<T> entry, ulong[] levelTokens, ulong cas) =>
        _ = RefreshAsync(entry, (ulong[])levelTokens.Clone(), cas);

    private async Task RefreshAsync<T>(EntryCall<T> entry, ulong[] levelTokens, ulong cas)
    {
        await Task.Yield(); // the hit is returned first
        var call = BeginCall(CancellationToken.None);
        try
        {
            var tokens = await TokensAfterMissAsync(entry.Plan.VersionKeys, levelTokens, call).ConfigureAwait(false);
            if (tokens is null)
            {
                return;
            }

            call.Pause();
            var value = await RunFactoryAsync(entry, CancellationToken.None).ConfigureAwait(false);
            call.Resume();
            await WriteAsync(entry.Scope, entry.CanonicalKey, entry.StoreKey, value, entry.Plan, tokens, Stores.StoreSetMode.Set, throwIfTooLarge: false, encoded: null, call, leaseCas: cas).ConfigureAwait(false);
            LeaseMetrics.EarlyRefresh(Application);
        }
        catch (Exception ex)
        {
            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var errorType = ex.GetType().Name;
                Log.BackgroundRecomputeFailed(_logger, Application, errorType);
            }
        }
        finally
        {
            EndCall(call);
        }
    }
}
