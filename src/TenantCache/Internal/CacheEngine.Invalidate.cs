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
        ulong token;
        try
        {
            (wait, token) = await ReplaceTokenAsync(versionKey, call).ConfigureAwait(false);
        }
        catch (CacheInvalidationException)
        {
            CacheMetrics.StoreError(Application);
            throw;
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            throw InvalidationFailed(call, ex, "The invalidation could not be recorded; entries may still be served.");
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

        if (wait > _tokens.Window)
        {
            // The tokens it outwaited are out of use now: the next invalidation need only wait this one's window.
            _ = LowerWaitAsync(versionKey, token, TimeSpan.Zero);
        }
    }

    /// <summary>Counts and logs a failed invalidation or removal; the exception to throw for it.</summary>
    private CacheInvalidationException InvalidationFailed(in StoreCall call, Exception exception, string message)
    {
        var failure = call.Classify(exception);
        CacheMetrics.StoreError(Application);
        Log.InvalidationFailed(_logger, Application, failure);
        return new CacheInvalidationException(message, failure);
    }

    /// <summary>
    /// After <paramref name="delay"/>, lowers the wait a token asks of its replacer (W) to this process's
    /// window, if the token is still <paramref name="token"/>: the older tokens W covered are out of use
    /// by then. Readers never look at W, so this changes nothing they do; it only spares later
    /// invalidations a wait. Best effort: a failure leaves the longer, still correct, wait.
    /// </summary>
    private async Task LowerWaitAsync(string versionKey, ulong token, TimeSpan delay)
    {
        if (_casStore is not { } casStore)
        {
            return;
        }

        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time).ConfigureAwait(false);
            }

            using var deadline = new CancellationTokenSource(BackgroundTimeout, _time);
            var items = new StoreItem[1];
            await _store.GetManyAsync(new[] { versionKey }, items, deadline.Token).ConfigureAwait(false);
            var item = items[0];
            if (ParseToken(item) != token || item.Cas == 0 || TokenRecord.Wait(item.Flags) <= _tokens.Window)
            {
                return; // replaced meanwhile, or nothing to lower
            }

            await casStore.SetAsync(versionKey, TokenBytes(token), StoreSetMode.Set, expiry: null, TokenRecord.Flags(_tokens.Window, _tokens.Window), item.Cas, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var type = ex.GetType().Name;
                Log.TokenWaitNotLowered(_logger, Application, type); // best effort, see above
            }
        }
    }

    /// <summary>Writes the new token; returns how long readers of the tokens it replaced may still use them, and the new token.</summary>
    private async ValueTask<(TimeSpan Wait, ulong Token)> ReplaceTokenAsync(string versionKey, StoreCall call)
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
            return (TimeSpan.Zero, token);
        }

        var keys = new[] { versionKey };
        var items = new StoreItem[1];
        for (var attempt = 0; attempt < MaxReplaceAttempts; attempt++)
        {
            await call.Watch(_store.GetManyAsync(keys, items, call.Token)).ConfigureAwait(false);
            var old = items[0];

            // How long readers may still use the old token, or tokens before it that W covers. Unknown
            // (evicted, the server restarted empty, unreadable, or written by an older version, which may
            // have recreated a vanished token without a word): the most any process may use.
            var known = old.Found && old.Value.Length == 8 && old.Cas != 0 && TokenRecord.IsOurs(old.Flags);
            var wait = known ? TokenRecord.Wait(old.Flags) : TokenRecord.MaxWindow;
            var token = NewToken();

            // The new token asks its own replacer to wait out this wait too, until it is over (lowered then).
            var flags = TokenRecord.Flags(_tokens.Window, wait);
            var issued = _tokens.Begin();
            var result = await call.Watch(
                old.Found
                    ? StoreToken(versionKey, token, StoreSetMode.Set, flags, old.Cas, call.Token)
                    : StoreToken(versionKey, token, StoreSetMode.Add, flags, cas: 0, call.Token)).ConfigureAwait(false);
            if (result == StoreSetResult.Stored)
            {
                _tokens.Observe(versionKey, token, flags, issued);
                return (wait, token);
            }

            // Another writer replaced or created it in between: read again, and wait out what it promised.
        }

        throw new CacheInvalidationException($"The version token changed {MaxReplaceAttempts} times while this invalidation tried to replace it; entries may still be served.");
    }
}
