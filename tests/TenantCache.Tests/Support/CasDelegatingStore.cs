using TenantCache.Stores;

namespace TenantCache.Tests.Support;

/// <summary>
/// A <see cref="DelegatingStore"/> that also forwards CAS and flags (<see cref="ICasCacheStore"/>), so
/// the engine over it reuses tokens as it would over the inner store. Counts the keys it is asked to read.
/// </summary>
internal class CasDelegatingStore(ICasCacheStore inner) : DelegatingStore(inner), ICasCacheStore
{
    private int _keysRead;
    private int _reads;

    public new ICasCacheStore Inner { get; } = inner;

    /// <summary>Keys asked for by every read so far.</summary>
    public int KeysRead => Volatile.Read(ref _keysRead);

    /// <summary>Read batches so far.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public override ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        GetManyAsync(keys, results, ReadOnlyMemory<ulong>.Empty, cancellationToken);

    public virtual ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _keysRead, keys.Length);
        Interlocked.Increment(ref _reads);
        return Inner.GetManyAsync(keys, results, knownCas, cancellationToken);
    }

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, mode, expiry, 0, 0, cancellationToken);

    public virtual ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
}
