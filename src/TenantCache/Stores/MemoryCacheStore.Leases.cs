using static TenantCache.Stores.StoreArguments;
namespace TenantCache.Stores;

/// <content>
/// Recompute leases (<see cref="ILeaseCacheStore"/>) with memcached 1.6.18's rules: every item keeps a
/// lease-sent bit (<c>ITEM_TOKEN_SENT</c>) and a stale bit (<c>ITEM_STALE</c>). A new item has neither,
/// so any successful write clears both; expiry removes the item and its bits with it.
/// </content>
public sealed partial class MemoryCacheStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// Key <see cref="StoreLease.Index"/>: a miss stores an empty placeholder (client flags 0, a new CAS,
    /// charged like any item) that expires <see cref="StoreLease.Duration"/> from now, exactly, and wins the
    /// lease (memcached <c>N</c>). A hit whose lease was sent is <see cref="StoreLeaseState.Held"/>; else a
    /// stale hit wins, and so does a hit with a time to live below <see cref="StoreLease.RefreshBefore"/>
    /// (memcached <c>R</c>); a hit marked stale also reports <see cref="StoreLeaseState.Stale"/>. The other
    /// keys are read as without a lease request.
    /// </remarks>
    /// <exception cref="ArgumentException">As for the read without a lease request.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="StoreLease.Index"/> is not an index of
    /// <paramref name="keys"/>, or <paramref name="lease"/> is <see langword="default"/> (no duration).</exception>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        ValidateRead(keys.Span, results, knownCas);
        ValidateLease(lease, keys.Length);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ReadMany(keys.Span, results.Span, knownCas.Span, lease.Index, lease);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// memcached's <c>md &lt;key&gt; C&lt;cas&gt; I T&lt;staleFor&gt;</c> followed by <c>mg &lt;key&gt; N&lt;leaseDuration&gt;</c>,
    /// under one lock: when the CAS matches, the item is marked stale, its lease-sent bit is cleared, it gets
    /// a new CAS and expires <paramref name="staleFor"/> from now (sooner or later than before). The read that
    /// follows never knows a CAS, so it returns the value; on a missing key it stores a placeholder and wins.
    /// </remarks>
    /// <exception cref="ArgumentException">Invalid key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cas"/> is zero, or a duration is not positive.</exception>
    public ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        ValidatePositive(staleFor, nameof(staleFor));
        ValidatePositive(leaseDuration, nameof(leaseDuration));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<StoreItem>(cancellationToken);
        }

        var lease = new StoreLease(0, leaseDuration);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var entry = FindLive(key, now);
            if (entry is not null && entry.Cas == cas)
            {
                entry.IsStale = true;
                entry.LeaseSent = false;
                entry.Cas = ++_lastCas;
                entry.ExpiresAt = ExpiresAt(now, staleFor);
            }

            return new ValueTask<StoreItem>(ReadWithLease(key, knownCas: 0, lease, now));
        }
    }

    /// <inheritdoc/>
    /// <remarks>An expired item does not exist: deleting it returns <see langword="false"/>.</remarks>
    /// <exception cref="ArgumentException">Invalid key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cas"/> is zero.</exception>
    public ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var entry = FindLive(key, now);
            if (entry is null || entry.Cas != cas)
            {
                return new ValueTask<bool>(false);
            }

            Remove(entry);
        }

        return new ValueTask<bool>(true);
    }

    /// <summary>The lease bits every hit reports: <see cref="StoreLeaseState.Held"/> while the lease is out, <see cref="StoreLeaseState.Stale"/> while marked.</summary>
    private static StoreLeaseState LeaseBits(Entry entry) =>
        (entry.LeaseSent ? StoreLeaseState.Held : StoreLeaseState.None) | (entry.IsStale ? StoreLeaseState.Stale : StoreLeaseState.None);

    /// <summary>One key read with a lease request. Callers hold <c>_lock</c>.</summary>
    private StoreItem ReadWithLease(string key, ulong knownCas, StoreLease lease, long now)
    {
        var entry = FindLive(key, now);
        if (entry is null)
        {
            // The placeholder answers here, so the refresh rule below never sees an item this read created.
            entry = new Entry(key, [], ExpiresAt(now, lease.Duration), flags: 0, ++_lastCas) { LeaseSent = true };
            Insert(entry, now);
            return new StoreItem(entry.Value, entry.Cas, entry.Flags, StoreLeaseState.Won);
        }

        MoveToFront(entry);
        var state = LeaseBits(entry);
        if (!entry.LeaseSent && (entry.IsStale || ExpiresBefore(entry, now, lease.RefreshBefore)))
        {
            entry.LeaseSent = true;
            state |= StoreLeaseState.Won;
        }

        return Describe(entry, knownCas, state);
    }

    /// <summary>Whether an item with a time to live has less than <paramref name="refreshBefore"/> (zero: never) of it left.</summary>
    private bool ExpiresBefore(Entry entry, long now, TimeSpan refreshBefore) =>
        refreshBefore > TimeSpan.Zero && entry.ExpiresAt != NoExpiry && entry.ExpiresAt < ExpiresAt(now, refreshBefore);
}
