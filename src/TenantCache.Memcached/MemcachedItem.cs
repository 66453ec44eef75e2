using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>The result of a read: the value and its metadata, or a miss.</summary>
public readonly struct MemcachedItem
{
    /// <summary>Creates a found item.</summary>
    public MemcachedItem(ReadOnlyMemory<byte> value, uint clientFlags, ulong cas, TimeSpan? remainingTtl)
    {
        Found = true;
        Value = value;
        ClientFlags = clientFlags;
        Cas = cas;
        RemainingTtl = remainingTtl;
    }

    /// <summary>Creates a found item with the lease flags of its reply (<c>W</c>, <c>Z</c>, <c>X</c>).</summary>
    internal MemcachedItem(ReadOnlyMemory<byte> value, uint clientFlags, ulong cas, TimeSpan? remainingTtl, StoreLeaseState lease)
        : this(value, clientFlags, cas, remainingTtl)
    {
        Lease = lease;
    }

    /// <summary>A miss.</summary>
    public static MemcachedItem Missing => default;

    /// <summary>Whether the key existed.</summary>
    public bool Found { get; }

    /// <summary>The stored bytes (empty on a miss).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The 32-bit client flags stored with the value.</summary>
    public uint ClientFlags { get; }

    /// <summary>The compare-and-swap token, for <c>CompareAndSwapAsync</c>.</summary>
    public ulong Cas { get; }

    /// <summary>The lease flags the reply carried; memcached sends them on any read of a leased or stale item.</summary>
    internal StoreLeaseState Lease { get; }

    /// <summary>Time left before expiry; <see langword="null"/> when the item never expires (or on a miss).</summary>
    public TimeSpan? RemainingTtl { get; }
}
