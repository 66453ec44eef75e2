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
