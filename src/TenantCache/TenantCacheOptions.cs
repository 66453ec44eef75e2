using TenantCache.Internal;

namespace TenantCache;

/// <summary>Settings of one application's cache.</summary>
public sealed class TenantCacheOptions
{
    /// <summary>The deepest scope allowed below the application, by default: tenant = 1, one sub-scope = 2, ...</summary>
    public const int DefaultMaxScopeDepth = 8;

    /// <summary>The default <see cref="OperationTimeout"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The configuration section these options are conventionally bound from:
    /// <c>services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName))</c>.
    /// </summary>
    public const string SectionName = "TenantCache";

    /// <summary>
    /// The token reuse window of a networked store when none is configured: 500 ms. An invalidation
    /// takes about that long to return, and each process reads each version token it uses at most
    /// about twice a second, however many reads it serves.
    /// </summary>
    public static readonly TimeSpan DefaultTokenReuseWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The application this cache belongs to (required). Applications sharing a store are isolated
    /// from each other, and each can be cleared alone.
    /// </summary>
    public string Application { get; set; } = "";

    /// <summary>Time to live of entries written without an expiration. Default: 5 minutes.</summary>
    public TimeSpan DefaultExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The largest envelope (value plus about 60 bytes of header and tags) the cache writes.
    /// Default: 0, meaning the store's own limit. Larger values are refused before the store is touched.
    /// </summary>
    public int MaxValueBytes { get; set; }

    /// <summary>Deepest scope below the application (1–32). Default: 8.</summary>
    public int MaxScopeDepth { get; set; } = DefaultMaxScopeDepth;

    /// <summary>Most tags one entry may carry (0–32). Default: 8. Each tag read costs one more key in a second batch.</summary>
    public int MaxTagsPerEntry { get; set; } = 8;

    /// <summary>
    /// The time one public call may spend in the store, all its steps together: the read batch, the
    /// tag batch, the creation of missing version tokens, the write, an invalidation. Default: 1 second;
    /// <see cref="Timeout.InfiniteTimeSpan"/> means no limit. A call whose time runs out fails like a store
    /// failure (a miss or a skipped write, logged and counted; <see cref="CacheOperationTimeoutException"/>
    /// with <see cref="ThrowOnStoreErrors"/>; an invalidation throws). The factory of a get-or-create is
    /// not counted: the deadline covers the store steps before and after it. Stores must honour
    /// cancellation for the bound to hold.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;

    /// <summary>
    /// When <see langword="false"/> (the default), store failures during reads and writes are logged,
    /// counted and turned into misses or skipped writes. When <see langword="true"/>, they throw
    /// <see cref="CacheStoreException"/>. Invalidations and removals always throw on failure.
    /// </summary>
    public bool ThrowOnStoreErrors { get; set; }

    /// <summary>
    /// How long this process may reuse a version token it read (Δ, counted from when the read was
    /// sent): a read whose tokens are all that fresh sends only its data key. An invalidation then
    /// returns only after the window the replaced token's writer promised (it is recorded with the
    /// token), so a read that begins after an invalidation returned never serves an entry it
    /// invalidated (I1, exactly). <see langword="null"/> (the default) means
    /// <see cref="DefaultTokenReuseWindow"/> on a networked store that keeps CAS and flags
    /// (<see cref="Stores.ICasCacheStore"/>, memcached) and zero on the in-process store;
    /// <see cref="TimeSpan.Zero"/> reads every token on every read, as before. At most one second.
    /// See docs/design.md, "Token reuse".
    /// </summary>
    public TimeSpan? TokenReuseWindow { get; set; }

    /// <summary>The in-process copy of large values, validated by CAS (off unless entries are marked; see <see cref="LocalCopyOptions"/>).</summary>
    public LocalCopyOptions LocalCopy { get; set; } = new();

    /// <summary>Fleet-wide single flight for <c>GetOrCreate</c> through the store's recompute leases (on by default on memcached; see <see cref="LeaseOptions"/>).</summary>
    public LeaseOptions Leases { get; set; } = new();

    /// <summary>Serializer for values that are neither <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c> nor <c>string</c>. Default: System.Text.Json.</summary>
    public ICacheSerializer? Serializer { get; set; }

    /// <summary>
    /// When <see langword="true"/>, activities of <see cref="TenantCacheDiagnostics.ActivitySourceName"/>
    /// carry <c>tenantcache.scope.depth</c> (0 = application, 1 = tenant, ...). Default: false. Keys,
    /// tenant ids and scope names are never traced.
    /// </summary>
    public bool TraceScopeDepth { get; set; }

    /// <summary>Checks every setting; throws <see cref="ArgumentException"/> naming the one at fault.</summary>
    public void Validate()
    {
        Guard.Name(Application, nameof(Application));
        if (DefaultExpiration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultExpiration), DefaultExpiration, "Must be positive.");
        }

        if (OperationTimeout <= TimeSpan.Zero && OperationTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "Must be positive, or Timeout.InfiniteTimeSpan for no limit.");
        }

        if (OperationTimeout != Timeout.InfiniteTimeSpan && OperationTimeout.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), OperationTimeout, "Must be at most 49 days (a timer's limit), or Timeout.InfiniteTimeSpan for no limit.");
        }

        if (TokenReuseWindow is { } window && (window < TimeSpan.Zero || window > TokenRecord.MaxWindow))
        {
            throw new ArgumentOutOfRangeException(nameof(TokenReuseWindow), window, "Must be between zero and one second, or null for the store's default.");
        }

        if (LocalCopy is null)
        {
            throw new ArgumentNullException(nameof(LocalCopy));
        }

        if (LocalCopy.MaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LocalCopy), LocalCopy.MaxBytes, "LocalCopy.MaxBytes must be zero (no copies) or positive.");
        }

        if (Leases is null)
        {
            throw new ArgumentNullException(nameof(Leases));
        }

        if (Leases.Duration < TimeSpan.FromSeconds(1) || Leases.Duration > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Leases), Leases.Duration, "Leases.Duration must be between one second and one hour.");
        }

        if (MaxValueBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxValueBytes), MaxValueBytes, "Must be zero (the store's limit) or positive.");
        }

        if (MaxScopeDepth is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxScopeDepth), MaxScopeDepth, "Must be between 1 and 32.");
        }

        if (MaxTagsPerEntry is < 0 or > Envelope.MaxTags)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTagsPerEntry), MaxTagsPerEntry, "Must be between 0 and 32.");
        }
    }
}
