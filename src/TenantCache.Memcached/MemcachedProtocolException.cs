namespace TenantCache.Memcached;

/// <summary>The server sent a reply that cannot be parsed or does not match the request; the connection was closed and every request in flight on it failed.</summary>
public sealed class MemcachedProtocolException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
