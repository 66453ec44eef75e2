namespace TenantCache;

/// <summary>
/// Fleet-wide single flight for <c>GetOrCreate</c>: on a miss or an invalidated entry, one caller in the
/// whole fleet recomputes the key's value while the others wait for it (or, when their call allows it,
/// serve the previous value). Uses the store's recompute leases (<see cref="Stores.ILeaseCacheStore"/>:
/// memcached's meta-protocol leases). See docs/design.md, "Recompute leases".
/// </summary>
/// <remarks>
/// A lease never decides what is served: every value returned still passes the version-token check
/// (I1), and a write-back carries the CAS its lease came with, so it never replaces a newer entry. A
/// holder that crashes delays the others by at most <see cref="Duration"/>.
/// </remarks>
public sealed class LeaseOptions
{
    /// <summary>The default lease: five seconds.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether <c>GetOrCreate</c> takes recompute leases. <see langword="null"/> (the default) means yes on
    /// a networked store that has them (memcached) and no on the in-process store, where in-process single
    /// flight already gives one factory run per key.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// How long a lease holds (memcached rounds up to whole seconds; at least one second, at most an hour).
    /// Waiters take the lease over once they have waited this long, so set it above the slowest factory:
    /// a factory that runs longer is run again by the caller that takes over (counted by
    /// <c>tenantcache.leases.takeovers</c>).
    /// </summary>
    public TimeSpan Duration { get; set; } = DefaultDuration;
}
