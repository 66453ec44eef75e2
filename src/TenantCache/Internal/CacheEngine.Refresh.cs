namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// A hit near its end won the early-refresh lease (<see cref="CacheEntryOptions.EarlyRefresh"/>): this
    /// process recomputes the entry in the background, stamped with the tokens the hit was checked against,
    /// and writes it over the item only if it still has the CAS the lease came with.
    /// A hit can also get the lease of an item another process marked stale (memcached hands it to any read
    /// after the mark): the hit was served under tokens this process reused, and the marker saw newer ones.
    /// Then this process is the one recomputing for the fleet: it reads the tokens afresh, leaves its note,
    /// and recomputes for them.
    /// </summary>
    private void StartEarlyRefresh<T>(EntryCall<T> entry, ulong[] levelTokens, DataSeen seen) =>
        _ = RefreshAsync(entry, (ulong[])levelTokens.Clone(), seen.Cas, marked: (seen.Lease & Stores.StoreLeaseState.Stale) != 0);

    private async Task RefreshAsync<T>(EntryCall<T> entry, ulong[] levelTokens, ulong cas, bool marked)
    {
        await Task.Yield(); // the hit is returned first
        var call = BeginCall(CancellationToken.None);
        try
        {
            if (marked && await FreshLevelTokensAsync(entry.Scope, call).ConfigureAwait(false) is { } fresh)
            {
                levelTokens = fresh;
            }

            var tokens = await TokensAfterMissAsync(entry.Plan.VersionKeys, levelTokens, call).ConfigureAwait(false);
            if (tokens is null)
            {
                return;
            }

            if (marked)
            {
                LeaseMetrics.Won(Application);
                PublishLeaseNote(entry, cas, tokens);
            }

            call.Pause();
            var value = await RunFactoryAsync(entry, CancellationToken.None).ConfigureAwait(false);
            call.Resume();
            await WriteAsync(entry.Scope, entry.CanonicalKey, entry.StoreKey, value, entry.Plan, tokens, Stores.StoreSetMode.Set, throwIfTooLarge: false, encoded: null, call, leaseCas: cas).ConfigureAwait(false);
            if (!marked)
            {
                LeaseMetrics.EarlyRefresh(Application);
            }
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
