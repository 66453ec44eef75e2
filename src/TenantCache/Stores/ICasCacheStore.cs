namespace TenantCache.Stores;

/// <summary>
/// A store that keeps, with every item, a CAS value (a number that changes with every write of the
/// item) and 32-bit client flags, and can store on the condition that an item still has a given CAS.
/// memcached has both natively (<c>mg … c f</c>, <c>ms … C F</c>); <see cref="MemoryCacheStore"/> has them too.
/// </summary>
/// <remarks>
/// The engine uses this capability, when a store offers it, for version-token reuse (the reuse
/// window a token's writer promised is kept in the token's flags, and an invalidation replaces a
/// token only if it is still the one it read) and for the in-process value copy (a hit is checked
/// by CAS, without moving the value). Without it the engine reads every token on every read.
/// <see cref="ICacheStore.GetManyAsync"/> of such a store fills <see cref="StoreItem.Cas"/> and
/// <see cref="StoreItem.Flags"/>.
/// </remarks>
public interface ICasCacheStore : ICacheStore
{
    /// <summary>
    /// Reads several keys like <see cref="ICacheStore.GetManyAsync"/>. For key i with
    /// <paramref name="knownCas"/>[i] not zero, the store may answer <see cref="StoreItem.Unchanged(ulong, uint)"/>
    /// (no value) when the item's CAS still equals it; otherwise it returns the item (or a miss) as usual.
    /// </summary>
    /// <param name="keys">The keys.</param>
    /// <param name="results">At least as long as <paramref name="keys"/>.</param>
    /// <param name="knownCas">Empty, or as long as <paramref name="keys"/>: the CAS the caller holds a copy of (0: none).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a value with client flags. With <paramref name="cas"/> not zero the write happens only if
    /// the item exists and still has that CAS (<see cref="StoreSetResult.Conflict"/> otherwise), and
    /// <paramref name="mode"/> must be <see cref="StoreSetMode.Set"/>.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes to store.</param>
    /// <param name="mode">Set, add-if-absent or replace-if-present.</param>
    /// <param name="expiry">Time to live; <see langword="null"/> means no expiry.</param>
    /// <param name="flags">The client flags to keep with the item.</param>
    /// <param name="cas">0, or the CAS the item must still have.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default);
}
