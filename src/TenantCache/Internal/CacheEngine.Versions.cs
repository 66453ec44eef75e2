using System.Buffers.Binary;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// The tokens to stamp a write with after a miss that read <paramref name="levelTokens"/>: those
    /// very tokens when they cover every version key of the write and none is missing (no round trip),
    /// else <see cref="EnsureTokensAsync(string[], StoreCall)"/> of <paramref name="versionKeys"/> (tags, missing tokens).
    /// </summary>
    internal ValueTask<ulong[]?> TokensAfterMissAsync(string[] versionKeys, ulong[] levelTokens, CancellationToken cancellationToken) =>
        versionKeys.Length == levelTokens.Length && Array.IndexOf(levelTokens, 0UL) < 0
            ? ValueTask.FromResult<ulong[]?>(levelTokens)
            : EnsureTokensAsync(versionKeys, cancellationToken);

    /// <inheritdoc cref="TokensAfterMissAsync(string[], ulong[], CancellationToken)"/>
    private ValueTask<ulong[]?> TokensAfterMissAsync(string[] versionKeys, ulong[] levelTokens, StoreCall call) =>
        versionKeys.Length == levelTokens.Length && Array.IndexOf(levelTokens, 0UL) < 0
            ? ValueTask.FromResult<ulong[]?>(levelTokens)
            : EnsureTokensAsync(versionKeys, call);

    /// <inheritdoc cref="EnsureTokensAsync(string[], StoreCall)"/>
    internal async ValueTask<ulong[]?> EnsureTokensAsync(string[] versionKeys, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            return await EnsureTokensAsync(versionKeys, call).ConfigureAwait(false);
        }
        finally
        {
            EndCall(call);
        }
    }

    /// <summary>
    /// Reads the tokens of <paramref name="versionKeys"/>, creating the missing ones with
    /// add-if-absent; whoever loses that race re-reads. Returns <see langword="null"/> when a token
    /// could not be had (store failure or an unreadable token): the write must then be skipped.
    /// </summary>
    private async ValueTask<ulong[]?> EnsureTokensAsync(string[] versionKeys, StoreCall call)
    {
        var tokens = new ulong[versionKeys.Length];
        try
        {
            await ResolveTokensAsync(versionKeys, versionKeys.Length, tokens, dataKey: null, _tokens.Begin(), call).ConfigureAwait(false);
            // Create every missing token at once (pipelined), not one round trip after another.
            List<(int Index, ulong Token, Task<StoreSetResult> Add)>? adds = null;
            var issued = _tokens.Begin();
            for (var i = 0; i < versionKeys.Length; i++)
            {
                if (tokens[i] == 0)
                {
                    var fresh = NewToken();
                    (adds ??= []).Add((i, fresh, StoreToken(versionKeys[i], fresh, StoreSetMode.Add, CreatedFlags, cas: 0, call.Token).AsTask()));
                }
            }

            List<int>? lost = null;
            if (adds is not null)
            {
                await call.Watch(Task.WhenAll(adds.Select(a => a.Add))).ConfigureAwait(false); // rethrows the first failure

                foreach (var (index, token, add) in adds)
                {
                    if (add.Result == StoreSetResult.Stored)
                    {
                        tokens[index] = token;
                        _tokens.Observe(versionKeys[index], token, CreatedFlags, issued);
                        if (_casStore is not null)
                        {
                            // A token that vanished before this one may be in use for up to the longest window.
                            _ = LowerWaitAsync(versionKeys[index], token, TokenRecord.MaxWindow);
                        }
                    }
                    else
                    {
                        (lost ??= []).Add(index); // someone else created it first: re-read
                    }
                }
            }

            if (lost is not null && !await RereadLostAsync(versionKeys, tokens, lost, call).ConfigureAwait(false))
            {
                CacheMetrics.SkippedWrite(Application);
                Log.TokenUnavailable(_logger, Application);
                return null;
            }

            return tokens;
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            StoreFailedOnWrite(StoreOperation.TokenCreation, call.Classify(ex));
            return null;
        }
    }

    /// <summary>
    /// The flags of a token created where none was: readers may reuse it for this process's window, and
    /// its replacer must wait the longest window, since a token that vanished before it (evicted, its
    /// server restarted empty) may still be reused that long; lowered once that is over.
    /// </summary>
    private uint CreatedFlags => TokenRecord.Flags(_tokens.Window, TokenRecord.MaxWindow);

    /// <summary>Writes a version token, with its flags when the store keeps flags.</summary>
    private ValueTask<StoreSetResult> StoreToken(string versionKey, ulong token, StoreSetMode mode, uint flags, ulong cas, CancellationToken cancellationToken) =>
        _casStore is { } casStore
            ? casStore.SetAsync(versionKey, TokenBytes(token), mode, expiry: null, flags, cas, cancellationToken)
            : _store.SetAsync(versionKey, TokenBytes(token), mode, expiry: null, cancellationToken);

    private async ValueTask<bool> RereadLostAsync(string[] versionKeys, ulong[] tokens, List<int> lost, StoreCall call)
    {
        var keys = new string[lost.Count];
        for (var i = 0; i < lost.Count; i++)
        {
            keys[i] = versionKeys[lost[i]];
        }

        var items = new StoreItem[keys.Length];
        var issued = _tokens.Begin();
        await call.Watch(_store.GetManyAsync(keys, items, call.Token)).ConfigureAwait(false);
        for (var i = 0; i < lost.Count; i++)
        {
            var token = ParseToken(items[i]);
            _tokens.Observe(keys[i], token, items[i].Flags, issued);
            if (token == 0)
            {
                return false; // unreadable, or evicted again at once: do not write
            }

            tokens[lost[i]] = token;
        }

        return true;
    }

    public async ValueTask RemoveAsync(string storeKey, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            await call.Watch(_store.DeleteAsync(storeKey, call.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            throw InvalidationFailed(call, ex, "The removal could not be recorded; the entry may still be served.");
        }
        finally
        {
            EndCall(call);
        }
    }

    private static byte[] TokenBytes(ulong token)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, token);
        return bytes;
    }
}
