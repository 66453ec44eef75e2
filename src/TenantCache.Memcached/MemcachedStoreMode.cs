namespace TenantCache.Memcached;

/// <summary>How a store command treats an existing key.</summary>
public enum MemcachedStoreMode
{
    /// <summary>Store unconditionally (<c>ms</c>).</summary>
    Set = 0,

    /// <summary>Store only when absent (<c>ms ... ME</c>).</summary>
    Add = 1,

    /// <summary>Store only when present (<c>ms ... MR</c>).</summary>
    Replace = 2,
}
