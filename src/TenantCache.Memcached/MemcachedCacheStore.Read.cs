using System.Buffers;
using TenantCache.Memcached.Protocol;
using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>Reads that know a CAS (<see cref="ICasCacheStore"/>) or ask for a lease (<see cref="ILeaseCacheStore"/>).</summary>
public sealed partial class MemcachedCacheStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// memcached 1.6.18 has no conditional get: keys with a known CAS are read without their value
    /// (<c>mg k f c t</c>, in the same batch as the others); those whose CAS changed are read again
    /// with it, in a second batch. So an unchanged item costs one round trip and no value bytes, a
    /// changed one two round trips.
    /// </remarks>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        if (knownCas.IsEmpty)
        {
            return GetManyAsync(keys, results, cancellationToken);
        }

        CheckBatch(keys, results, knownCas);
        return ReadAsync(keys, results, knownCas, -1, default, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <para>The lease key is read with <c>mg k v f c N&lt;lease&gt; [R&lt;refresh&gt;] t</c> in the same batch
    /// as the other keys (<c>t</c> after <c>N</c>, so a placeholder reports its TTL). Both durations are
    /// sent as whole seconds rounded up, without the one-second padding of stored TTLs: a lease that ends
    /// up to a second early costs at most a duplicate recompute. The reply flags <c>W</c>, <c>Z</c> and
    /// <c>X</c> become <see cref="StoreLeaseState.Won"/>, <see cref="StoreLeaseState.Held"/> and
    /// <see cref="StoreLeaseState.Stale"/>; a placeholder is found with an empty value; a miss whose
    /// placeholder memcached could not allocate (<c>EN</c>) is <see cref="StoreItem.Missing"/>.</para>
    /// <para>A known CAS for the lease key is honoured as for the others: the first read leaves out the
    /// value; if the CAS changed, the second batch reads the key again with its value and without
    /// <c>N</c>. The lease state is the first read's when the second finds the same CAS (the second sees
    /// this caller's own lease as <c>Z</c>), and the second read's when the item changed in between,
    /// because a lease belongs to one version of the item.</para>
    /// </remarks>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        CheckBatch(keys, results, knownCas);
        if (lease.Index >= keys.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease.Index, $"The lease is asked for key {lease.Index}, but the batch has {keys.Length} keys.");
        }

        return ReadAsync(keys, results, knownCas, lease.Index, WireLease(lease), cancellationToken);
    }

    private static void CheckBatch(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas)
    {
        if (results.Length < keys.Length)
        {
            throw new ArgumentException("results must be at least as long as keys.", nameof(results));
        }

        if (!knownCas.IsEmpty && knownCas.Length != keys.Length)
        {
            throw new ArgumentException("knownCas must be empty or as long as keys.", nameof(knownCas));
        }
    }

    private async ValueTask ReadAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, int leaseIndex, MetaLease lease, CancellationToken cancellationToken)
    {
        var withoutValue = Array.Empty<bool>();
        if (!knownCas.IsEmpty)
        {
            withoutValue = new bool[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                withoutValue[i] = knownCas.Span[i] != 0;
            }
        }

        var items = ArrayPool<MemcachedItem>.Shared.Rent(keys.Length);
        try
        {
            await Client.GetManyAsync(keys, items.AsMemory(0, keys.Length), withoutValue, leaseIndex, lease, cancellationToken).ConfigureAwait(false);
            List<int>? changed = null;
            for (var i = 0; i < keys.Length; i++)
            {
                var item = items[i];
                var known = knownCas.IsEmpty ? 0 : knownCas.Span[i];
                var state = item.Lease; // W/Z/X come unasked on any key; only the lease key can create a placeholder
                if (!item.Found)
                {
                    results.Span[i] = StoreItem.Missing;
                }
                else if (known == 0)
                {
                    results.Span[i] = new StoreItem(item.Value, item.Cas, item.ClientFlags, state);
                }
                else if (item.Cas == known)
                {
                    results.Span[i] = StoreItem.Unchanged(item.Cas, item.ClientFlags, state);
                }
                else
                {
                    (changed ??= []).Add(i);
                }
            }

            if (changed is not null)
            {
                await ReadChangedAsync(keys, results, changed, items, leaseIndex, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<MemcachedItem>.Shared.Return(items, clearArray: true);
        }
    }

    /// <summary>The second batch: the keys whose CAS changed, with their values, without lease flags.</summary>
    private async ValueTask ReadChangedAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, List<int> changed, MemcachedItem[] first, int leaseIndex, CancellationToken cancellationToken)
    {
        var again = new string[changed.Count];
        for (var k = 0; k < again.Length; k++)
        {
            again[k] = keys.Span[changed[k]];
        }

        var fresh = new MemcachedItem[again.Length];
        await Client.GetManyAsync(again, fresh, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < again.Length; k++)
        {
            var i = changed[k];
            var item = fresh[k];
            var state = i != leaseIndex ? StoreLeaseState.None
                : item.Cas == first[i].Cas ? first[i].Lease
                : item.Lease;
            results.Span[i] = item.Found ? new StoreItem(item.Value, item.Cas, item.ClientFlags, state) : StoreItem.Missing;
        }
    }
}
