namespace TenantCache.Memcached;

/// <summary>The server could not be reached, closed the connection, or is marked down after repeated failures.</summary>
public sealed class MemcachedConnectionException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedConnectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
