namespace TenantCache.Stores;

/// <summary>
/// A store that hands out recompute leases, so that one caller in the whole fleet recomputes a missing
/// or invalidated entry while the others wait or serve the stale value: memcached's meta protocol has
/// them built in (<c>mg … N</c>, the <c>W</c>/<c>Z</c>/<c>X</c> reply flags, <c>md … I</c>), and
/// <see cref="MemoryCacheStore"/> implements the same rules.
/// </summary>
/// <remarks>
/// <para>The rules, per item (memcached 1.6.18): a read with a lease request on a missing key creates an
/// empty placeholder that lives for the lease's duration and answers <see cref="StoreLeaseState.Won"/>;
/// once a lease has been won, every read of the item reports <see cref="StoreLeaseState.Held"/> until the
/// item is replaced, expires or is marked stale again. A read of an item marked stale and not yet leased
/// wins the lease. Marking stale resets the lease and gives the item a new CAS. Leases are advisory:
/// the store does not stop anyone from writing; the engine writes back only with the CAS its lease came
/// with, so a write-back never replaces a newer entry.</para>
/// <para>An empty value is a placeholder, never an entry the engine wrote (envelopes are never empty).</para>
/// </remarks>
public interface ILeaseCacheStore : ICasCacheStore
{
    /// <summary>
    /// Reads several keys like <see cref="ICasCacheStore.GetManyAsync(ReadOnlyMemory{string}, Memory{StoreItem}, ReadOnlyMemory{ulong}, CancellationToken)"/>,
    /// asking for a lease on key <see cref="StoreLease.Index"/>; that key's result carries
    /// <see cref="StoreItem.Lease"/>.
    /// </summary>
    /// <param name="keys">The keys.</param>
    /// <param name="results">At least as long as <paramref name="keys"/>.</param>
    /// <param name="knownCas">Empty, or as long as <paramref name="keys"/> (see <see cref="ICasCacheStore"/>).</param>
    /// <param name="lease">Which key, for how long, and whether a hit near its expiry may win an early-refresh lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// If <paramref name="key"/> still has CAS <paramref name="cas"/>, marks it stale: it keeps its value for at
    /// most <paramref name="staleFor"/> more, its lease is reset and it gets a new CAS. Then, in the same round
    /// trip, reads the key with a lease request (<paramref name="leaseDuration"/>) and returns what that read found.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="cas">The CAS the caller read; another CAS leaves the item alone (someone else marked or replaced it).</param>
    /// <param name="staleFor">How long a marked item lives at most; positive.</param>
    /// <param name="leaseDuration">The lease requested by the read that follows; positive.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="key"/> if it still has CAS <paramref name="cas"/> (gives a lease back). Returns whether it was deleted.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cas">The CAS the item must still have; not zero.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default);
}
