namespace TenantCache.Memcached;

/// <summary>The TLS handshake failed: the server's certificate is not trusted or does not carry the expected name, the server does not speak TLS, or the client certificate was refused. A configuration error: retrying does not help.</summary>
public sealed class MemcachedTlsException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedTlsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedTlsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
