using Microsoft.Extensions.Caching.Hybrid;

namespace TenantCache.Hybrid;

/// <summary>One call's HybridCache options resolved against the registration's defaults.</summary>
internal readonly struct HybridEntry
{
    private const string WildcardTag = "*";

    private HybridEntry(HybridCacheEntryFlags flags, CacheEntryOptions options)
    {
        Flags = flags;
        Options = options;
    }

    public HybridCacheEntryFlags Flags { get; }

    /// <summary>The expiration and tags in TenantCache's terms (no expiration: the cache's default).</summary>
    public CacheEntryOptions Options { get; }

    public bool ReadsStore => (Flags & HybridCacheEntryFlags.DisableDistributedCacheRead) == 0;

    public bool WritesStore => (Flags & HybridCacheEntryFlags.DisableDistributedCacheWrite) == 0;

    public bool RunsFactory => (Flags & HybridCacheEntryFlags.DisableUnderlyingData) == 0;

    /// <summary>
    /// Per-call values win over the defaults, as in Microsoft's HybridCache. Local-cache flags,
    /// <see cref="HybridCacheEntryOptions.LocalCacheExpiration"/> and <c>DisableCompression</c> are
    /// accepted and have no effect: TenantCache has no in-process tier and does not compress.
    /// </summary>
    /// <exception cref="ArgumentException">A tag is null, empty, whitespace or the reserved <c>*</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The expiration is not positive.</exception>
    public static HybridEntry Resolve(HybridCacheEntryOptions? options, IEnumerable<string>? tags, HybridCacheEntryOptions? defaults)
    {
        var flags = options?.Flags ?? defaults?.Flags ?? HybridCacheEntryFlags.None;
        var expiration = options?.Expiration ?? defaults?.Expiration;
        return new HybridEntry(flags, new CacheEntryOptions { Expiration = expiration, Tags = CheckTags(tags) });
    }

    private static string[]? CheckTags(IEnumerable<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        var checkedTags = tags.ToArray();
        foreach (var tag in checkedTags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("Tags must not be null, empty or whitespace.", nameof(tags));
            }

            if (tag == WildcardTag)
            {
                throw new ArgumentException("The tag '*' is reserved for RemoveByTagAsync (every entry of the scope); an entry cannot carry it.", nameof(tags));
            }
        }

        return checkedTags.Length == 0 ? null : checkedTags;
    }
}
