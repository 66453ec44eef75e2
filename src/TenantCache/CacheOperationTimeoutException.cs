using System.Globalization;

namespace TenantCache;

/// <summary>
/// A cache call did not finish its store steps within <see cref="TenantCacheOptions.OperationTimeout"/>.
/// Treated like any other store failure: a miss or a skipped write by default, this exception with
/// <see cref="TenantCacheOptions.ThrowOnStoreErrors"/>, and the cause of a
/// <see cref="CacheInvalidationException"/> for an invalidation. The caller's own cancellation is never
/// reported this way: it throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class CacheOperationTimeoutException : CacheStoreException
{
    /// <summary>Creates the exception.</summary>
    public CacheOperationTimeoutException()
        : base("The cache call timed out (TenantCacheOptions.OperationTimeout).")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheOperationTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CacheOperationTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a call that exceeded <paramref name="timeout"/>.</summary>
    public CacheOperationTimeoutException(TimeSpan timeout, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"The cache call did not complete within TenantCacheOptions.OperationTimeout ({timeout.TotalMilliseconds:0.###} ms)."), innerException!)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that was exceeded (zero when unknown).</summary>
    public TimeSpan Timeout { get; }
}
