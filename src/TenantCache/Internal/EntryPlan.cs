namespace TenantCache.Internal;

/// <summary>An entry's resolved expiry and tags.</summary>
internal sealed class EntryPlan
{
    public EntryPlan(TimeSpan? absolute, DateTimeOffset? absoluteAt, TimeSpan? sliding, string[] tagKeys, string[] versionKeys, bool localCopy = false)
    {
        LocalCopy = localCopy;
        Absolute = absolute;
        AbsoluteAt = absoluteAt;
        Sliding = sliding;
        TagKeys = tagKeys;
        VersionKeys = versionKeys;
    }

    /// <summary>Stale-while-revalidate time (<see cref="CacheEntryOptions.StaleFor"/>).</summary>
    public TimeSpan? StaleFor { get; init; }

    /// <summary>Fail-safe time past the expiration (<see cref="CacheEntryOptions.FailSafeFor"/>): the store keeps the entry that much longer.</summary>
    public TimeSpan? FailSafeFor { get; init; }

    /// <summary><see cref="CacheEntryOptions.EarlyRefresh"/>.</summary>
    public TimeSpan? EarlyRefresh { get; init; }

    /// <summary><see cref="CacheEntryOptions.FactorySoftTimeout"/>.</summary>
    public TimeSpan? SoftTimeout { get; init; }

    /// <summary><see cref="CacheEntryOptions.FactoryHardTimeout"/>.</summary>
    public TimeSpan? HardTimeout { get; init; }

    /// <summary>Whether the entry is marked for in-process copies (<see cref="LocalCopyOptions"/>).</summary>
    public bool LocalCopy { get; }

    /// <summary>Time to live from the write.</summary>
    public TimeSpan? Absolute { get; }

    /// <summary>A fixed deadline; with <see cref="Absolute"/>, the earlier wins.</summary>
    public DateTimeOffset? AbsoluteAt { get; }

    public TimeSpan? Sliding { get; }

    /// <summary>The store keys of the tags' version tokens.</summary>
    public string[] TagKeys { get; }

    /// <summary>Every version key the entry is stamped with: the scope's levels, then the tags.</summary>
    public string[] VersionKeys { get; }

    /// <summary>
    /// The store TTL (<see langword="null"/>: never), the envelope's sliding field (<see cref="SlidingCode"/>,
    /// milliseconds) and the absolute deadline (Unix ms, 0 = none: sliding only). A deadline already
    /// reached gives a zero TTL: the write then replaces any older value with nothing readable. Never
    /// throws: an expiration that ends past <see cref="DateTimeOffset.MaxValue"/> (<see cref="TimeSpan.MaxValue"/>
    /// and the like) means "never", and so does a sliding window of <see cref="SlidingCode.MaxWindow"/> or more.
    /// </summary>
    public (TimeSpan? Ttl, uint SlidingCode, long DeadlineUnixMs) Expiry(DateTimeOffset now)
    {
        DateTimeOffset? deadline = Absolute is { } ttl ? AddSaturating(now, ttl) : null;
        if (AbsoluteAt is { } at && (deadline is null || at < deadline))
        {
            deadline = at;
        }

        var slidingCode = SlidingCode.Encode(Sliding);
        TimeSpan? window = Sliding is { } sliding && sliding < SlidingCode.MaxWindow ? sliding : null;
        if (deadline is not { } end)
        {
            return (window, slidingCode, 0);
        }

        if (end == DateTimeOffset.MaxValue)
        {
            return (window, slidingCode, Envelope.MaxDeadlineUnixMs); // never, unless it slides
        }

        var left = end > now ? end - now : TimeSpan.Zero;
        var storeTtl = window is { } w && w < left ? w : left;
        if (window is null && FailSafeFor is { } failSafe && left > TimeSpan.Zero)
        {
            storeTtl = failSafe >= TimeSpan.MaxValue - left ? TimeSpan.MaxValue : left + failSafe; // kept past its deadline, as a fail-safe value
        }
        return (storeTtl, slidingCode, end.ToUnixTimeMilliseconds());
    }

    private static DateTimeOffset AddSaturating(DateTimeOffset now, TimeSpan ttl) =>
        ttl >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + ttl;
}
