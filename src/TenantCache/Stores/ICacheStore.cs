namespace TenantCache.Stores;

/// <summary>
/// The small, dumb key-value port the TenantCache engine talks to. All cache semantics (scopes,
/// versions, envelopes, tags) live above it, so every store behaves the same.
/// </summary>
/// <remarks>
/// <para>Keys are valid memcached keys: 1 to 250 ASCII bytes in the range 0x21–0x7E. The engine only
/// ever produces such keys; a store rejects anything else with <see cref="ArgumentException"/>.</para>
/// <para>A store reports transport and server failures as <see cref="CacheStoreException"/> (or a
/// subclass) and honours cancellation with <see cref="OperationCanceledException"/>.</para>
/// </remarks>
public interface ICacheStore
{
    /// <summary>The largest value, in bytes, that <see cref="SetAsync"/> accepts.</summary>
    int MaxValueLength { get; }

    /// <summary>
    /// Reads several keys in one batch (one network round trip per server involved).
    /// <paramref name="results"/> must be at least as long as <paramref name="keys"/>; entry i
    /// receives the item for key i, or <see cref="StoreItem.Missing"/>.
    /// </summary>
    ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default);

    /// <summary>Stores a value under <paramref name="key"/> according to <paramref name="mode"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes to store; the store copies them if it keeps them past the call.</param>
    /// <param name="mode">Set, add-if-absent or replace-if-present.</param>
    /// <param name="expiry">Time to live; <see langword="null"/> means no expiry. Must not be negative.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key. Returns <see langword="true"/> when it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Resets a key's time to live. Returns <see langword="true"/> when it existed.</summary>
    ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default);
}
