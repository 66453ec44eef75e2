namespace TenantCache.Memcached;

/// <summary>The outcome of a store command.</summary>
public enum MemcachedStoreResult
{
    /// <summary><c>HD</c>: stored.</summary>
    Stored = 0,

    /// <summary><c>NS</c>: the mode's condition failed (add over an existing key, replace of a missing key).</summary>
    NotStored = 1,

    /// <summary><c>EX</c>: the CAS token did not match (the item changed since it was read).</summary>
    Exists = 2,

    /// <summary><c>NF</c>: compare-and-swap on a key that does not exist.</summary>
    NotFound = 3,
}
