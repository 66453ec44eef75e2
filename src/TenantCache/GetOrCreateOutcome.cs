namespace TenantCache;

/// <summary>Where the value returned by a get-or-create call came from.</summary>
public enum GetOrCreateOutcome
{
    /// <summary>A valid entry was read from the cache; no factory ran.</summary>
    Hit,

    /// <summary>
    /// This call ran its own factory: the entry was missing or stale, or the store could not be read
    /// (then nothing was written either).
    /// </summary>
    Computed,

    /// <summary>
    /// Another caller was already computing the same entry (under the same version tokens) — in this
    /// process, or, with recompute leases (<see cref="TenantCacheOptions.Leases"/>), anywhere in the fleet —
    /// and this call returned that caller's value without running its own factory.
    /// </summary>
    Joined,

    /// <summary>
    /// The entry was invalidated and being recomputed; the call allows stale values
    /// (<see cref="CacheEntryOptions.StaleFor"/>) and got the previous one.
    /// </summary>
    Stale,

    /// <summary>
    /// The factory failed or timed out and the call returned the last good value instead
    /// (<see cref="CacheEntryOptions.FailSafeFor"/>).
    /// </summary>
    FailSafe,
}
