namespace TenantCache.Memcached.Protocol;

/// <summary>Converts a time to live into the number memcached expects after <c>T</c>/<c>N</c>.</summary>
internal static class MetaTtl
{
    /// <summary>The longest TTL memcached reads as relative seconds (30 days); longer ones are absolute.</summary>
    public const long MaxRelativeSeconds = 60 * 60 * 24 * 30;

    /// <summary>
    /// Returns the wire TTL: 0 for <see langword="null"/> (no expiry), -1 for <see cref="TimeSpan.Zero"/>
    /// (already expired), whole seconds rounded up up to 30 days, and an absolute Unix time beyond that.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or past what memcached can represent (2038).</exception>
    public static long ToWire(TimeSpan? ttl, TimeProvider timeProvider, string paramName = "ttl")
    {
        if (ttl is not { } value)
        {
            return 0;
        }

        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "A time to live must not be negative; use null for no expiry.");
        }

        if (value == TimeSpan.Zero)
        {
            return -1;
        }

        if (value.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "A time to live must end before 2038 (memcached stores a 32-bit Unix time).");
        }

        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        if (seconds <= MaxRelativeSeconds)
        {
            return seconds;
        }

        var absolute = timeProvider.GetUtcNow().ToUnixTimeSeconds() + seconds;
        if (absolute > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "A time to live must end before 2038 (memcached stores a 32-bit Unix time).");
        }

        return absolute;
    }

    /// <summary>Whether <paramref name="ttl"/> ends before memcached's last representable time (2038).</summary>
    public static bool IsRepresentable(TimeSpan ttl, TimeProvider timeProvider) =>
        ttl.TotalSeconds <= int.MaxValue
        && (Math.Ceiling(ttl.TotalSeconds) <= MaxRelativeSeconds
            || timeProvider.GetUtcNow().ToUnixTimeSeconds() + (long)Math.Ceiling(ttl.TotalSeconds) <= int.MaxValue);
}
