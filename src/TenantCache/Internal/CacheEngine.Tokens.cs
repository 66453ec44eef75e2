using System.Buffers;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Fills <paramref name="tokens"/>[0..count) with the tokens of <paramref name="versionKeys"/> for a
    /// read that began at <paramref name="start"/> (0 = missing): known ones from the table, shared
    /// fetches joined, the rest fetched in one batch together with <paramref name="dataKey"/>, whose
    /// item is returned (<see cref="StoreItem.Missing"/> without one). A store failure is thrown.
    /// </summary>
    private async ValueTask<StoreItem> ResolveTokensAsync(string[] versionKeys, int count, ulong[] tokens, string? dataKey, ReadStart start, StoreCall call, ulong dataKnownCas = 0, ReadWants wants = default)
    {
        TokenFlight?[]? joins = null;
        int[]? own = null;
        TokenFlight?[]? ownFlights = null;
        var ownCount = 0;
        for (var i = 0; i < count; i++)
        {
            switch (_tokens.Classify(versionKeys[i], start, out var token, out var flight))
            {
                case TokenRole.Known:
                    tokens[i] = token;
                    break;
                case TokenRole.Join:
                    (joins ??= new TokenFlight?[count])[i] = flight;
                    break;
                default:
                    own ??= new int[count];
                    ownFlights ??= new TokenFlight?[count];
                    own[ownCount] = i;
                    ownFlights[ownCount++] = flight;
                    break;
            }
        }

        var data = StoreItem.Missing;
        if (ownCount == 0 && joins is null && dataKey is not null)
        {
            CacheMetrics.TokensReused(Application);
        }

        var batch = ownCount + (dataKey is null ? 0 : 1);
        if (batch > 0)
        {
            data = await FetchAsync(versionKeys, tokens, own, ownFlights, ownCount, dataKey, dataKnownCas, wants, call).ConfigureAwait(false);
        }

        if (joins is not null)
        {
            await AwaitJoinsAsync(versionKeys, count, tokens, joins, start, call).ConfigureAwait(false);
        }

        return data;
    }

    private async ValueTask<StoreItem> FetchAsync(string[] versionKeys, ulong[] tokens, int[]? own, TokenFlight?[]? ownFlights, int ownCount, string? dataKey, ulong dataKnownCas, ReadWants wants, StoreCall call)
    {
        var batch = ownCount + (dataKey is null ? 0 : 1);
        var keys = ArrayPool<string>.Shared.Rent(batch);
        var items = ArrayPool<StoreItem>.Shared.Rent(batch);
        try
        {
            for (var k = 0; k < ownCount; k++)
            {
                keys[k] = versionKeys[own![k]];
            }

            if (dataKey is not null)
            {
                keys[ownCount] = dataKey;
            }

            try
            {
                if (wants.LeaseFor > TimeSpan.Zero && dataKey is not null && _leaseStore is { } leaseStore)
                {
                    // The data key with a lease request: a miss makes this read the recompute's owner, or tells it someone is.
                    var known = dataKnownCas == 0 ? ReadOnlyMemory<ulong>.Empty : KnownForData(batch, ownCount, dataKnownCas);
                    var lease = new StoreLease(ownCount, wants.LeaseFor, wants.RefreshBefore);
                    await call.Watch(leaseStore.GetManyAsync(keys.AsMemory(0, batch), items.AsMemory(0, batch), known, lease, call.Token)).ConfigureAwait(false);
                }
                else if (dataKnownCas != 0 && dataKey is not null && _casStore is { } casStore)
                {
                    // The data key with the CAS of this process's copy: an unchanged item comes back without its value.
                    var known = new ulong[batch];
                    known[ownCount] = dataKnownCas;
                    await call.Watch(casStore.GetManyAsync(keys.AsMemory(0, batch), items.AsMemory(0, batch), known, call.Token)).ConfigureAwait(false);
                }
                else
                {
                    await call.Watch(_store.GetManyAsync(keys.AsMemory(0, batch), items.AsMemory(0, batch), call.Token)).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                for (var k = 0; k < ownCount; k++)
                {
                    if (ownFlights![k] is { } failed)
                    {
                        _tokens.Complete(keys[k], failed, 0, 0, ex);
                    }
                }

                throw;
            }

            for (var k = 0; k < ownCount; k++)
            {
                var token = ParseToken(items[k]);
                tokens[own![k]] = token;
                if (ownFlights![k] is { } flight)
                {
                    _tokens.Complete(keys[k], flight, token, items[k].Flags, null);
                }
            }

            return dataKey is null ? StoreItem.Missing : items[ownCount];
        }
        finally
        {
            ArrayPool<string>.Shared.Return(keys, clearArray: true);
            ArrayPool<StoreItem>.Shared.Return(items, clearArray: true);
        }
    }

    /// <summary>
    /// Takes the tokens of the shared fetches joined; one that failed (another caller's store error or
    /// cancellation) or that this read may not use is fetched again, by this read alone.
    /// </summary>
    private async ValueTask AwaitJoinsAsync(string[] versionKeys, int count, ulong[] tokens, TokenFlight?[] joins, ReadStart start, StoreCall call)
    {
        List<int>? again = null;
        for (var i = 0; i < count; i++)
        {
            if (joins[i] is not { } flight)
            {
                continue;
            }

            try
            {
                await call.Watch(flight.Done.WaitAsync(call.Token)).ConfigureAwait(false);
            }
            catch (Exception) when (!call.Token.IsCancellationRequested)
            {
                (again ??= []).Add(i); // the fetch failed for its sender; this read tries itself
                continue;
            }

            if (_tokens.UsableFor(flight, start))
            {
                tokens[i] = flight.Token;
                CacheMetrics.TokenShared(Application);
            }
            else
            {
                (again ??= []).Add(i);
            }
        }

        if (again is null)
        {
            return;
        }

        var keys = new string[again.Count];
        for (var k = 0; k < keys.Length; k++)
        {
            keys[k] = versionKeys[again[k]];
        }

        var items = new StoreItem[keys.Length];
        var issued = _tokens.Begin();
        await call.Watch(_store.GetManyAsync(keys, items, call.Token)).ConfigureAwait(false);
        for (var k = 0; k < keys.Length; k++)
        {
            var token = ParseToken(items[k]);
            tokens[again[k]] = token;
            _tokens.Observe(keys[k], token, items[k].Flags, issued);
        }
    }

    private static ulong[] KnownForData(int batch, int dataIndex, ulong cas)
    {
        var known = new ulong[batch];
        known[dataIndex] = cas;
        return known;
    }

    /// <summary>The timeout of store work no caller's call owns (shared fetches, lowering a token's wait): the call timeout, or 30 s without one.</summary>
    private TimeSpan BackgroundTimeout => _options.OperationTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(30) : _options.OperationTimeout;

    /// <summary>Sends a shared fetch whose turn came (<see cref="TokenTable.Depart"/>); nobody's call owns it, so it has its own timeout.</summary>
    private async Task DepartSharedFetchAsync(string key, TokenFlight flight)
    {
        var items = new StoreItem[1];
        using var deadline = new CancellationTokenSource(BackgroundTimeout, _time);
        try
        {
            await _store.GetManyAsync(new[] { key }, items, deadline.Token).ConfigureAwait(false);
            _tokens.Complete(key, flight, ParseToken(items[0]), items[0].Flags, null);
        }
        catch (Exception ex)
        {
            _tokens.Complete(key, flight, 0, 0, ex);
        }
    }
}
