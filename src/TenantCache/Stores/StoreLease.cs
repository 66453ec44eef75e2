namespace TenantCache.Stores;

/// <summary>A lease request riding on one key of a batched read (<see cref="ILeaseCacheStore"/>).</summary>
public readonly struct StoreLease
{
    /// <summary>Asks for a lease on key <paramref name="index"/> of the batch.</summary>
    /// <param name="index">The key's index in the batch.</param>
    /// <param name="duration">How long a placeholder created for a missing key lives (memcached <c>N</c>, whole seconds, rounded up); positive.</param>
    /// <param name="refreshBefore">Zero, or: a hit whose remaining time to live is below this wins an early-refresh lease (memcached <c>R</c>).</param>
    public StoreLease(int index, TimeSpan duration, TimeSpan refreshBefore = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts a positive time.");
        }

        if (refreshBefore < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(refreshBefore), refreshBefore, "Must not be negative.");
        }

        Index = index;
        Duration = duration;
        RefreshBefore = refreshBefore;
    }

    /// <summary>The key's index in the batch.</summary>
    public int Index { get; }

    /// <summary>How long a placeholder lives.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Zero, or the remaining time to live under which a hit wins an early-refresh lease.</summary>
    public TimeSpan RefreshBefore { get; }
}

/// <summary>What a read with a lease request learned about the item's lease (memcached's reply flags).</summary>
[Flags]
public enum StoreLeaseState
{
    /// <summary>No lease involved: an ordinary hit or miss.</summary>
    None = 0,

    /// <summary>This read won the lease (<c>W</c>): the caller is the one to recompute and write back with the item's CAS.</summary>
    Won = 1,

    /// <summary>Someone else holds the lease (<c>Z</c>).</summary>
    Held = 2,

    /// <summary>The item is marked stale (<c>X</c>).</summary>
    Stale = 4,
}
