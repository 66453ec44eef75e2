using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>How often an invalidation re-reads a token that other writers keep replacing before it gives up.</summary>
    private const int MaxReplaceAttempts = 8;

    /// <summary>
    /// Replaces a version token with a fresh random one, then waits out the reuse window the replaced
    /// token promised (docs/design.md, "Token reuse"): when this returns, no process uses the old token
    /// for a read that begins later. This process uses the new token at once. Never derived from the old
    /// token: a concurrent writer cannot undo it.
    /// </summary>
    /// <remarks>
    /// Cancelled during the wait, it throws <see cref="OperationCanceledException"/> with the new token
    /// written: this process sees the invalidation, other processes may serve what it invalidated until
    /// the window ends.
    /// </remarks>
    public async ValueTask InvalidateKeyAsync(string versionKey, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        TimeSpan wait;
        try
        {
            wait = await ReplaceTokenAsync(versionKey, call).ConfigureAwait(false);
        }
        catch (CacheInvalidationException)
        {
            CacheMetrics.StoreError(Application);
            throw;
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            var failure = call.Classify(ex);
            CacheMetrics.StoreError(Application);
            Log.InvalidationFailed(_logger, Application, failure);
            throw new CacheInvalidationException("The invalidation could not be recorded; entries may still be served.", failure);
        }
        finally
        {
            EndCall(call);
        }

        CacheMetrics.Invalidation(Application);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the new token; returns how long readers of the replaced one may still use it.</summary>
    private async ValueTask<TimeSpan> ReplaceTokenAsync(string versionKey, StoreCall call)
    {
        if (_casStore is not { } casStore)
        {
            // No flags, so no token of this store was ever reused: a blind set, as without a window.
            var issued = _tokens.Begin();
            var token = NewToken();
            var result = await call.Watch(_store.SetAsync(versionKey, TokenBytes(token), StoreSetMode.Set, expiry: null, call.Token)).ConfigureAwait(false);
            if (result != StoreSetResult.Stored)
            {
                throw new CacheInvalidationException($"The store refused the new version token ({result}); entries may still be served.");
            }

            _tokens.Observe(versionKey, token, 0, issued);
            return TimeSpan.Zero;
        }

        var keys = new[] { versionKey };
        var items = new StoreItem[1];
        for (var attempt = 0; attempt < MaxReplaceAttempts; attempt++)
        {
            await call.Watch(_store.GetManyAsync(keys, items, call.Token)).ConfigureAwait(false);
            var old = items[0];

            // What readers of the old token may be using: its writer's promise. Unknown (evicted, the
            // server restarted empty, unreadable): the most any process may use.
            var known = old.Found && old.Value.Length == 8 && old.Cas != 0;
            var wait = known ? TokenRecord.Window(old.Flags) : TokenRecord.MaxWindow;
            var token = NewToken();
            var issued = _tokens.Begin();
            var result = await call.Watch(
                old.Found
                    ? StoreToken(versionKey, token, StoreSetMode.Set, old.Cas, call.Token)
                    : StoreToken(versionKey, token, StoreSetMode.Add, cas: 0, call.Token)).ConfigureAwait(false);
            if (result == StoreSetResult.Stored)
            {
                _tokens.Observe(versionKey, token, _tokenFlags, issued);
                return wait;
            }

            // Another writer replaced or created it in between: read again, and wait out what it promised.
        }

        throw new CacheInvalidationException($"The version token changed {MaxReplaceAttempts} times while this invalidation tried to replace it; entries may still be served.");
    }
}
