using Microsoft.Extensions.Caching.Hybrid;

namespace TenantCache.Hybrid;

/// <summary>Settings of one TenantCache-backed <c>HybridCache</c> registration.</summary>
public sealed class TenantHybridCacheOptions
{
    /// <summary>
    /// Entry options used where a call passes none: its <see cref="HybridCacheEntryOptions.Expiration"/>
    /// when a call gives no expiration, its <see cref="HybridCacheEntryOptions.Flags"/> when a call gives
    /// no flags. Default: none, so <see cref="TenantCacheOptions.DefaultExpiration"/> and no flags apply.
    /// </summary>
    public HybridCacheEntryOptions? DefaultEntryOptions { get; set; }

    /// <summary>Checks every setting; throws <see cref="ArgumentException"/> naming the one at fault.</summary>
    public void Validate()
    {
        if (DefaultEntryOptions?.Expiration is { } expiration && expiration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultEntryOptions), expiration, "DefaultEntryOptions.Expiration must be positive.");
        }
    }
}
