using System.Buffers.Binary;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// The tokens to stamp a write with after a miss that read <paramref name="levelTokens"/>: those
    /// very tokens when they cover every version key of the write and none is missing (no round trip),
    /// else <see cref="EnsureTokensAsync"/> of <paramref name="versionKeys"/> (tags, missing tokens).
    /// </summary>
    internal ValueTask<ulong[]?> TokensAfterMissAsync(string[] versionKeys, ulong[] levelTokens, CancellationToken cancellationToken) =>
        versionKeys.Length == levelTokens.Length && Array.IndexOf(levelTokens, 0UL) < 0
            ? ValueTask.FromResult<ulong[]?>(levelTokens)
            : EnsureTokensAsync(versionKeys, cancellationToken);

    /// <summary>
    /// Reads the tokens of <paramref name="versionKeys"/>, creating the missing ones with
    /// add-if-absent; whoever loses that race re-reads. Returns <see langword="null"/> when a token
    /// could not be had (store failure or an unreadable token): the write must then be skipped.
    /// </summary>
    internal async ValueTask<ulong[]?> EnsureTokensAsync(string[] versionKeys, CancellationToken cancellationToken)
    {
        var tokens = new ulong[versionKeys.Length];
        var items = new StoreItem[versionKeys.Length];
        try
        {
            await _store.GetManyAsync(versionKeys, items, cancellationToken).ConfigureAwait(false);
            // Create every missing token at once (pipelined), not one round trip after another.
            List<(int Index, ulong Token, Task<StoreSetResult> Add)>? adds = null;
            for (var i = 0; i < versionKeys.Length; i++)
            {
                tokens[i] = ParseToken(items[i]);
                if (tokens[i] == 0)
                {
                    var fresh = NewToken();
                    (adds ??= []).Add((i, fresh, _store.SetAsync(versionKeys[i], TokenBytes(fresh), StoreSetMode.Add, expiry: null, cancellationToken).AsTask()));
                }
            }

            List<int>? lost = null;
            if (adds is not null)
            {
                await Task.WhenAll(adds.Select(a => a.Add)).ConfigureAwait(false); // rethrows the first failure

                foreach (var (index, token, add) in adds)
                {
                    if (add.Result == StoreSetResult.Stored)
                    {
                        tokens[index] = token;
                    }
                    else
                    {
                        (lost ??= []).Add(index); // someone else created it first: re-read
                    }
                }
            }

            if (lost is not null && !await RereadLostAsync(versionKeys, tokens, lost, cancellationToken).ConfigureAwait(false))
            {
                CacheMetrics.SkippedWrite(Application);
                Log.TokenUnavailable(_logger, Application);
                return null;
            }

            return tokens;
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            StoreFailedOnWrite(ex);
            return null;
        }
    }

    private async ValueTask<bool> RereadLostAsync(string[] versionKeys, ulong[] tokens, List<int> lost, CancellationToken cancellationToken)
    {
        var keys = new string[lost.Count];
        for (var i = 0; i < lost.Count; i++)
        {
            keys[i] = versionKeys[lost[i]];
        }

        var items = new StoreItem[keys.Length];
        await _store.GetManyAsync(keys, items, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < lost.Count; i++)
        {
            var token = ParseToken(items[i]);
            if (token == 0)
            {
                return false; // unreadable, or evicted again at once: do not write
            }

            tokens[lost[i]] = token;
        }

        return true;
    }

    /// <summary>
    /// Replaces a version token with a fresh random one (blind set, acknowledged). Never derived from
    /// the old token, never read-modify-write: a concurrent writer cannot undo it.
    /// </summary>
    public async ValueTask InvalidateKeyAsync(string versionKey, CancellationToken cancellationToken)
    {
        StoreSetResult result;
        try
        {
            result = await _store.SetAsync(versionKey, TokenBytes(NewToken()), StoreSetMode.Set, expiry: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            CacheMetrics.StoreError(Application);
            Log.InvalidationFailed(_logger, Application, ex);
            throw new CacheInvalidationException("The invalidation could not be recorded; entries may still be served.", ex);
        }

        if (result != StoreSetResult.Stored)
        {
            CacheMetrics.StoreError(Application);
            throw new CacheInvalidationException($"The store refused the new version token ({result}); entries may still be served.");
        }

        CacheMetrics.Invalidation(Application);
    }

    public async ValueTask RemoveAsync(string storeKey, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(storeKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            CacheMetrics.StoreError(Application);
            Log.InvalidationFailed(_logger, Application, ex);
            throw new CacheInvalidationException("The removal could not be recorded; the entry may still be served.", ex);
        }
    }

    private static byte[] TokenBytes(ulong token)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, token);
        return bytes;
    }
}
