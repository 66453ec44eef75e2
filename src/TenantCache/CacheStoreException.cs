namespace TenantCache;

/// <summary>
/// A store could not do what was asked: the server is unreachable, timed out, or answered something
/// that cannot be trusted. The engine turns these into misses and skipped writes (fail open),
/// except for invalidations, which surface as <see cref="CacheInvalidationException"/>.
/// </summary>
public class CacheStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CacheStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CacheStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
