namespace TenantCache.Memcached;

/// <summary>A memcached operation failed (base of the client's exceptions); the server's error message, if any, is in Message.</summary>
public class MemcachedException : TenantCache.CacheStoreException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
