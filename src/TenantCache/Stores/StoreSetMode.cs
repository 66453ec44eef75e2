namespace TenantCache.Stores;

/// <summary>How <see cref="ICacheStore.SetAsync"/> treats an existing key.</summary>
public enum StoreSetMode
{
    /// <summary>Store unconditionally.</summary>
    Set = 0,

    /// <summary>Store only when the key does not exist (memcached <c>ms ... ME</c>).</summary>
    Add = 1,

    /// <summary>Store only when the key exists (memcached <c>ms ... MR</c>).</summary>
    Replace = 2,
}

/// <summary>The outcome of <see cref="ICacheStore.SetAsync"/>.</summary>
public enum StoreSetResult
{
    /// <summary>The value was stored.</summary>
    Stored = 0,

    /// <summary>The mode's condition failed (add over an existing key, replace of a missing key).</summary>
    NotStored = 1,

    /// <summary>A compare-and-swap failed: the item changed since the CAS given was read, or is gone (<see cref="ICasCacheStore"/>).</summary>
    Conflict = 2,
}
