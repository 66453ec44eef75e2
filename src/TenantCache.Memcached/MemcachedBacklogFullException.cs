namespace TenantCache.Memcached;

/// <summary>
/// The connection to the server already has <see cref="MemcachedOptions.MaxPendingRequests"/> requests
/// queued or awaiting a reply, so this one was refused before anything was sent. It is a
/// <see cref="CacheStoreException"/>: the cache engine treats it like any store failure (a miss, a
/// skipped write).
/// </summary>
public sealed class MemcachedBacklogFullException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedBacklogFullException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedBacklogFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedBacklogFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
