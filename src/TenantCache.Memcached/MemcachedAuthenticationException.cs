namespace TenantCache.Memcached;

/// <summary>The server refused the credentials, or asks for credentials and none are configured (<see cref="MemcachedOptions.Username"/>, <see cref="MemcachedOptions.Password"/>). A configuration error: retrying does not help.</summary>
public sealed class MemcachedAuthenticationException : MemcachedException
{
    /// <summary>Creates the exception.</summary>
    public MemcachedAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MemcachedAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MemcachedAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
