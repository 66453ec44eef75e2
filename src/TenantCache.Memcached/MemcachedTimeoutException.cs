namespace TenantCache.Memcached;

/// <summary>
/// The server did not answer within the operation timeout (the request was abandoned; the connection
/// stays open and the late reply is dropped), or a connection stalled past the stall limit and was closed.
/// </summary>
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
