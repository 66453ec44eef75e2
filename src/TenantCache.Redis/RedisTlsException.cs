namespace TenantCache.Redis;

/// <summary>The TLS handshake with Redis failed: its certificate is not trusted or does not carry the expected name, the port does not speak TLS, or our client certificate was refused. A configuration error: retrying does not help.</summary>
public sealed class RedisTlsException : CacheStoreException
{
    /// <summary>Creates the exception.</summary>
    public RedisTlsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisTlsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RedisTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
