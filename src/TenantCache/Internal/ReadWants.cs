using TenantCache.Stores;

namespace TenantCache.Internal;

/// <summary>
/// What a get-or-create asks of its read beyond a plain read: a lease request on the data key
/// (<see cref="LeaseFor"/> > 0), an early-refresh lease on a hit near its end, and the value of an
/// entry that may not be served, kept as a fallback (stale or fail-safe).
/// </summary>
internal readonly record struct ReadWants(TimeSpan LeaseFor, TimeSpan RefreshBefore, bool Stale, long FailSafeMs);

/// <summary>What a read learned of the data key's item: its CAS, lease state and flags; whether it needs recomputing.</summary>
internal readonly record struct DataSeen(ulong Cas, StoreLeaseState Lease, uint Flags)
{
    /// <summary>An entry is there but may not be served (invalidated, expired, a token missing): the store does not know, someone must recompute it.</summary>
    public bool NeedsRecompute { get; init; }

    /// <summary>The item is a lease's placeholder (an empty value): no entry yet.</summary>
    public bool Placeholder { get; init; }

    /// <summary>The entry's deadline (Unix ms, 0 = none), when its envelope was read.</summary>
    public long DeadlineUnixMs { get; init; }

    public bool Won => (Lease & StoreLeaseState.Won) != 0;

    public bool Held => (Lease & StoreLeaseState.Held) != 0;
}

/// <summary>Why a fallback value may not be served as a hit.</summary>
internal enum FallbackKind
{
    None,

    /// <summary>Its tokens were replaced: servable only to a call that allows stale values.</summary>
    Invalidated,

    /// <summary>Its tokens are current but it expired (within the call's fail-safe time).</summary>
    Expired,
}

/// <summary>A value kept from an entry that may not be served as a hit.</summary>
internal readonly struct Fallback<T>
{
    public Fallback(T value, FallbackKind kind)
    {
        Value = value;
        Kind = kind;
    }

    public T Value { get; }

    public FallbackKind Kind { get; }

    public bool Exists => Kind != FallbackKind.None;
}
