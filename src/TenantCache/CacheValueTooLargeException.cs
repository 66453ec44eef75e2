namespace TenantCache;

/// <summary>A value is larger than the cache may store; nothing was sent to the store.</summary>
public sealed class CacheValueTooLargeException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public CacheValueTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheValueTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CacheValueTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a value of <paramref name="actualBytes"/> against a limit of <paramref name="maxBytes"/>.</summary>
    public CacheValueTooLargeException(long actualBytes, long maxBytes, string paramName)
        : base($"The value takes {actualBytes} bytes with its envelope; the limit is {maxBytes} bytes.", paramName)
    {
        ActualBytes = actualBytes;
        MaxBytes = maxBytes;
    }

    /// <summary>The size the value would have taken, envelope included.</summary>
    public long ActualBytes { get; }

    /// <summary>The limit in force.</summary>
    public long MaxBytes { get; }
}
