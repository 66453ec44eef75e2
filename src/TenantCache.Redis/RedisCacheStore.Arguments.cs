using TenantCache.Stores;
using static TenantCache.Stores.StoreArguments;

namespace TenantCache.Redis;

/// <content>Argument checks: bad input is refused before anything is sent.</content>
public sealed partial class RedisCacheStore
{
    private void ValidateWrite(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, ulong cas)
    {
        ValidateKey(key, nameof(key));
        ValidateExpiry(expiry);
        if (mode is not (StoreSetMode.Set or StoreSetMode.Add or StoreSetMode.Replace))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown store mode.");
        }

        if (cas != 0 && mode != StoreSetMode.Set)
        {
            throw new ArgumentException("A CAS-conditional write must use StoreSetMode.Set.", nameof(mode));
        }

        if (value.Length > MaxValueLength)
        {
            throw new CacheValueTooLargeException(value.Length, MaxValueLength, nameof(value));
        }
    }
}
