namespace TenantCache.Stores;

/// <content>Reads: the batched get, with or without the CAS values the caller knows.</content>
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

        ReadMany(keys.Span, results.Span, knownCas.Span);
        return ValueTask.CompletedTask;
    }

    private void ReadMany(ReadOnlySpan<string> keys, Span<StoreItem> results, ReadOnlySpan<ulong> knownCas)
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                results[i] = Read(keys[i], knownCas.IsEmpty ? 0 : knownCas[i], now);
            }
        }
    }

    /// <summary>One key of a read without a lease request: a miss, or the item (its value left out when its CAS is <paramref name="knownCas"/>).</summary>
    private StoreItem Read(string key, ulong knownCas, long now)
    {
        var entry = FindLive(key, now);
        if (entry is null)
        {
            return StoreItem.Missing;
        }

        MoveToFront(entry);
        return Describe(entry, knownCas);
    }

    private static StoreItem Describe(Entry entry, ulong knownCas) =>
        knownCas != 0 && knownCas == entry.Cas
            ? StoreItem.Unchanged(entry.Cas, entry.Flags)
            : new StoreItem(entry.Value, entry.Cas, entry.Flags);
}
