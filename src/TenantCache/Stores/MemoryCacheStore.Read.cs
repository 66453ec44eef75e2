using static TenantCache.Stores.StoreArguments;
namespace TenantCache.Stores;

/// <content>Reads: the batched get, with or without the CAS values the caller knows (the lease request is in <c>MemoryCacheStore.Leases.cs</c>).</content>
public sealed partial class MemoryCacheStore
{
    /// <inheritdoc/>
    /// <remarks>Hits are returned without copying; each hit becomes the most recently used item.</remarks>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        GetManyAsync(keys, results, ReadOnlyMemory<ulong>.Empty, cancellationToken);

    /// <inheritdoc/>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        ValidateRead(keys.Span, results, knownCas);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ReadMany(keys.Span, results.Span, knownCas.Span, leaseIndex: -1, default);
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads every key under one lock; key <paramref name="leaseIndex"/> (-1: none) with <paramref name="lease"/>.</summary>
    private void ReadMany(ReadOnlySpan<string> keys, Span<StoreItem> results, ReadOnlySpan<ulong> knownCas, int leaseIndex, StoreLease lease)
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var known = knownCas.IsEmpty ? 0 : knownCas[i];
                results[i] = i == leaseIndex ? ReadWithLease(keys[i], known, lease, now) : Read(keys[i], known, now);
            }
        }
    }

    /// <summary>
    /// One key of a read without a lease request: a miss, or the item (its value left out when its CAS is
    /// <paramref name="knownCas"/>) with its lease bits as <see cref="StoreLeaseState.Held"/> and
    /// <see cref="StoreLeaseState.Stale"/>, as memcached reports them on every hit. As on memcached 1.6.18,
    /// a hit on an item marked stale whose lease is not out wins it (<c>mg</c> without <c>N</c> answers
    /// <c>W</c> there too); a read without a lease request never creates a placeholder.
    /// </summary>
    private StoreItem Read(string key, ulong knownCas, long now)
    {
        var entry = FindLive(key, now);
        if (entry is null)
        {
            return StoreItem.Missing;
        }

        MoveToFront(entry);
        var state = LeaseBits(entry);
        if (entry.IsStale && !entry.LeaseSent)
        {
            entry.LeaseSent = true;
            state |= StoreLeaseState.Won;
        }

        return Describe(entry, knownCas, state);
    }

    private static StoreItem Describe(Entry entry, ulong knownCas, StoreLeaseState lease) =>
        knownCas != 0 && knownCas == entry.Cas
            ? StoreItem.Unchanged(entry.Cas, entry.Flags, lease)
            : new StoreItem(entry.Value, entry.Cas, entry.Flags, lease);
}
