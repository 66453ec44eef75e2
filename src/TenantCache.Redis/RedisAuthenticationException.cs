namespace TenantCache.Redis;

/// <summary>Redis refused the credentials (<c>WRONGPASS</c>, <c>NOAUTH</c>: see <see cref="RedisStoreOptions.User"/> and <see cref="RedisStoreOptions.Password"/>). A configuration error: retrying does not help.</summary>
public sealed class RedisAuthenticationException : CacheStoreException
{
    /// <summary>Creates the exception.</summary>
    public RedisAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RedisAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
