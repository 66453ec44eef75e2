using System.Globalization;

namespace TenantCache;

/// <summary>
/// A <c>GetOrCreate</c> factory ran past <see cref="CacheEntryOptions.FactoryHardTimeout"/> and no
/// fail-safe value could be returned instead. The factory's cancellation token was cancelled.
/// </summary>
public sealed class CacheFactoryTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public CacheFactoryTimeoutException()
        : base("The factory did not complete within CacheEntryOptions.FactoryHardTimeout.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CacheFactoryTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CacheFactoryTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a factory that exceeded <paramref name="timeout"/>.</summary>
    public CacheFactoryTimeoutException(TimeSpan timeout)
        : base(string.Create(CultureInfo.InvariantCulture, $"The factory did not complete within CacheEntryOptions.FactoryHardTimeout ({timeout.TotalMilliseconds:0.###} ms)."))
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that was exceeded (zero when unknown).</summary>
    public TimeSpan Timeout { get; }
}
