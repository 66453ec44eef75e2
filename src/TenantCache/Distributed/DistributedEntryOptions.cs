using Microsoft.Extensions.Caching.Distributed;

namespace TenantCache.Distributed;

/// <summary>Maps <see cref="DistributedCacheEntryOptions"/> onto the engine's <see cref="CacheEntryOptions"/>.</summary>
/// <remarks>
/// <see cref="DistributedCacheEntryOptions"/> already refuses a zero or negative relative or sliding
/// expiration in its setters (with Microsoft's messages and parameter names). An
/// <see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/> is checked by the engine against its
/// <see cref="TimeProvider"/> when the entry is written: not in the future throws
/// <see cref="ArgumentOutOfRangeException"/> with ParamName <c>AbsoluteExpiration</c> and the message
/// "The absolute expiration value must be in the future.", as Redis's implementation does. When both an
/// absolute and a relative expiration are given, the earlier deadline applies.
/// </remarks>
internal static class DistributedEntryOptions
{
    public static CacheEntryOptions ToEntryOptions(DistributedCacheEntryOptions options) => new()
    {
        AbsoluteExpiration = options.AbsoluteExpiration,
        Expiration = options.AbsoluteExpirationRelativeToNow,
        SlidingExpiration = options.SlidingExpiration,
    };
}
