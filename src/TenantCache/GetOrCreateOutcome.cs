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
    /// Another caller in this process was already computing the same entry (under the same version
    /// tokens), and this call returned that caller's value without running its own factory.
    /// </summary>
    Joined,
}
