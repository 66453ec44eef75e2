namespace TenantCache.Stores;

/// <summary>One result of <see cref="ICacheStore.GetManyAsync"/>: a value, or a miss.</summary>
/// <remarks>
/// A store that implements <see cref="ICasCacheStore"/> also reports each item's <see cref="Cas"/>
/// and <see cref="Flags"/>; other stores leave both zero.
/// </remarks>
public readonly struct StoreItem
{
    /// <summary>Creates a found item.</summary>
    public StoreItem(ReadOnlyMemory<byte> value)
    {
        Value = value;
        Found = true;
    }

    /// <summary>Creates a found item with its CAS value and client flags (<see cref="ICasCacheStore"/>).</summary>
    public StoreItem(ReadOnlyMemory<byte> value, ulong cas, uint flags)
    {
        Value = value;
        Found = true;
        Cas = cas;
        Flags = flags;
    }

    /// <summary>Creates a found item with its CAS, client flags and lease state (<see cref="ILeaseCacheStore"/>).</summary>
    public StoreItem(ReadOnlyMemory<byte> value, ulong cas, uint flags, StoreLeaseState lease)
    {
        Value = value;
        Found = true;
        Cas = cas;
        Flags = flags;
        Lease = lease;
    }

    private StoreItem(ulong cas, uint flags, bool unchanged, StoreLeaseState lease = StoreLeaseState.None)
    {
        Found = true;
        Cas = cas;
        Flags = flags;
        IsUnchanged = unchanged;
        Lease = lease;
    }

    /// <summary>A miss.</summary>
    public static StoreItem Missing => default;

    /// <summary>Whether the key existed.</summary>
    public bool Found { get; }

    /// <summary>The stored bytes. Callers must not write to them. Empty when <see cref="IsUnchanged"/>.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The item's CAS value: it changes with every write of the item; 0 when the store does not report one.</summary>
    public ulong Cas { get; }

    /// <summary>The item's client flags, as stored with it; 0 when the store does not keep them.</summary>
    public uint Flags { get; }

    /// <summary>
    /// The item still has the CAS value the caller said it knew, and the store did not send the value
    /// again (see <see cref="ICasCacheStore.GetManyAsync(ReadOnlyMemory{string}, Memory{StoreItem}, ReadOnlyMemory{ulong}, CancellationToken)"/>).
    /// </summary>
    public bool IsUnchanged { get; }

    /// <summary>
    /// What the read learned about the item's lease (<see cref="ILeaseCacheStore"/>). Only the key a lease
    /// was asked for can be <see cref="StoreLeaseState.Won"/>; a lease store may report
    /// <see cref="StoreLeaseState.Held"/> and <see cref="StoreLeaseState.Stale"/> on any hit, with a lease
    /// request or without (memcached does, and so does <see cref="MemoryCacheStore"/>); a store without
    /// leases reports <see cref="StoreLeaseState.None"/>. A placeholder created by a lease is found, with an
    /// empty <see cref="Value"/>.
    /// </summary>
    public StoreLeaseState Lease { get; }

    /// <summary>A found item whose CAS equals the one the caller knew; its value is not included.</summary>
    public static StoreItem Unchanged(ulong cas, uint flags) => new(cas, flags, unchanged: true);

    /// <summary>A found item whose CAS equals the one the caller knew, with its lease state; its value is not included.</summary>
    public static StoreItem Unchanged(ulong cas, uint flags, StoreLeaseState lease) => new(cas, flags, unchanged: true, lease);
}
