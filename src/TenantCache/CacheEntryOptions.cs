using TenantCache.Internal;

namespace TenantCache;

/// <summary>How long an entry lives and which tags it carries.</summary>
/// <remarks>
/// With neither expiration set, <see cref="TenantCacheOptions.DefaultExpiration"/> applies. With both,
/// the entry expires after <see cref="SlidingExpiration"/> of disuse but never later than
/// <see cref="Expiration"/> after it was written. Deadlines are kept in milliseconds and checked on
/// every read with the cache's <see cref="TimeProvider"/>: an entry is never served past them.
/// </remarks>
public sealed class CacheEntryOptions
{
    private readonly TimeSpan? _expiration;
    private readonly TimeSpan? _slidingExpiration;
    private readonly IReadOnlyList<string>? _tags;
    private readonly TimeSpan? _staleFor;
    private readonly TimeSpan? _failSafeFor;
    private readonly TimeSpan? _earlyRefresh;
    private readonly TimeSpan? _factorySoftTimeout;
    private readonly TimeSpan? _factoryHardTimeout;

    /// <summary>Absolute time to live, from the moment the entry is written. Must be positive.</summary>
    public TimeSpan? Expiration
    {
        get => _expiration;
        init => _expiration = Guard.PositiveOrNull(value, nameof(Expiration));
    }

    /// <summary>Time to live renewed by every hit. Must be positive.</summary>
    public TimeSpan? SlidingExpiration
    {
        get => _slidingExpiration;
        init => _slidingExpiration = Guard.PositiveOrNull(value, nameof(SlidingExpiration));
    }

    /// <summary>
    /// A fixed moment the entry expires at, judged on the cache's <see cref="TimeProvider"/> when the
    /// entry is written (it must then be in the future). With <see cref="Expiration"/> as well, the
    /// earlier deadline applies. Internal: the <c>IDistributedCache</c> adapter's
    /// <c>AbsoluteExpiration</c>, named like it so that its argument errors carry that name.
    /// </summary>
    internal DateTimeOffset? AbsoluteExpiration { get; init; }

    /// <summary>
    /// Whether processes that read this entry keep an in-process copy of its value, validated by the
    /// store's CAS on every read (see <see cref="LocalCopyOptions"/>); <see langword="null"/> follows
    /// <see cref="LocalCopyOptions.Enabled"/> of the writing application.
    /// </summary>
    public bool? LocalCopy { get; init; }

    /// <summary>
    /// Stale-while-revalidate, for <c>GetOrCreate</c> on a store with leases: after an invalidation, for up to
    /// this long after the first read that found the entry invalidated, this call may return the previous
    /// value at once while one caller in the fleet recomputes it (in the background, when that caller is
    /// this one). The one place where I1 is relaxed, and only for calls that set it; calls without it never
    /// see a stale value. Also how long an entry written with it stays readable as stale once detected.
    /// At most 18 hours; memcached counts it in whole seconds, rounded up. See docs/guarantees.md, "Stale reads".
    /// </summary>
    public TimeSpan? StaleFor
    {
        get => _staleFor;
        init
        {
            if (Guard.PositiveOrNull(value, nameof(StaleFor)) > MaxStaleFor)
            {
                throw new ArgumentOutOfRangeException(nameof(StaleFor), value, "Must be at most 65,535 seconds (about 18 hours).");
            }

            _staleFor = value;
        }
    }

    /// <summary>
    /// Fail-safe for <c>GetOrCreate</c>: the entry is kept this long past its expiration, and when the factory
    /// throws or times out, the last good value — expired by at most this long, never invalidated (unless
    /// <see cref="StaleFor"/> allows a stale value) — is returned instead of the error, logged and counted
    /// (<c>tenantcache.failsafe.served</c>). Not with <see cref="SlidingExpiration"/>.
    /// </summary>
    public TimeSpan? FailSafeFor
    {
        get => _failSafeFor;
        init => _failSafeFor = Guard.PositiveOrNull(value, nameof(FailSafeFor));
    }

    /// <summary>
    /// Early refresh for <c>GetOrCreate</c> on a store with leases: a hit on an entry with less than this
    /// left to live makes one caller in the fleet refresh it in the background while every caller keeps
    /// getting the current value.
    /// </summary>
    public TimeSpan? EarlyRefresh
    {
        get => _earlyRefresh;
        init => _earlyRefresh = Guard.PositiveOrNull(value, nameof(EarlyRefresh));
    }

    /// <summary>
    /// When a <c>GetOrCreate</c> factory runs longer than this and a stale or fail-safe value may be returned,
    /// that value is returned; the factory goes on in the background and its value is stored when it ends.
    /// </summary>
    public TimeSpan? FactorySoftTimeout
    {
        get => _factorySoftTimeout;
        init => _factorySoftTimeout = Guard.PositiveOrNull(value, nameof(FactorySoftTimeout));
    }

    /// <summary>
    /// The longest a <c>GetOrCreate</c> factory may run: its cancellation token is cancelled and the call
    /// throws <see cref="CacheFactoryTimeoutException"/> (or returns the fail-safe value, when there is one).
    /// </summary>
    public TimeSpan? FactoryHardTimeout
    {
        get => _factoryHardTimeout;
        init => _factoryHardTimeout = Guard.PositiveOrNull(value, nameof(FactoryHardTimeout));
    }

    /// <summary>The longest <see cref="StaleFor"/>: 65,535 seconds (it is kept in 16 bits of the entry's flags).</summary>
    public static readonly TimeSpan MaxStaleFor = TimeSpan.FromSeconds(ushort.MaxValue);

    /// <summary>
    /// Tags the entry carries (at most <see cref="TenantCacheOptions.MaxTagsPerEntry"/>). Tags belong to
    /// the application: invalidating one makes every entry carrying it a miss, in every tenant.
    /// </summary>
    public IReadOnlyList<string>? Tags
    {
        get => _tags;
        init
        {
            if (value is not null)
            {
                foreach (var tag in value)
                {
                    Guard.Name(tag, nameof(Tags));
                }
            }

            _tags = value;
        }
    }

    /// <summary>An entry that lives for <paramref name="expiration"/>.</summary>
    public static CacheEntryOptions Expires(TimeSpan expiration) => new() { Expiration = expiration };

    /// <summary>An entry that lives while it is read at least once every <paramref name="window"/>.</summary>
    public static CacheEntryOptions Sliding(TimeSpan window) => new() { SlidingExpiration = window };
}
