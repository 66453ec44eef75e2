namespace TenantCache;

/// <summary>
/// An invalidation could not be recorded: the scope or tag may still be valid. Unlike reads and
/// writes, invalidations never fail silently, because the caller must know.
/// </summary>
public sealed class CacheInvalidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CacheInvalidationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheInvalidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CacheInvalidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
