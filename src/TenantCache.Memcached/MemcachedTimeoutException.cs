namespace TenantCache.Memcached;

/// <summary>The server did not answer within the operation timeout; the connection was closed and every request in flight on it failed.</summary>
public sealed class MemcachedTimeoutException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
