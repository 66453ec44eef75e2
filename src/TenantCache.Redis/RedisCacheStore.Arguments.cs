using TenantCache.Stores;

namespace TenantCache.Redis;

/// <content>Argument checks: bad input is refused before anything is sent.</content>
public sealed partial class RedisCacheStore
{
    private static void ValidateKey(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new ArgumentException($"A key must be 1 to {MaxKeyLength} characters long; this one has {key.Length}.", paramName);
        }

        // The key itself is not put in the message: it may hold personal data.
        if (key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            throw new ArgumentException("A key may only contain printable ASCII characters 0x21-0x7E (no spaces or control characters).", paramName);
        }
    }

    private static void ValidateRead(ReadOnlySpan<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas)
    {
        if (!knownCas.IsEmpty && knownCas.Length != keys.Length)
        {
            throw new ArgumentException($"knownCas has {knownCas.Length} entries but {keys.Length} keys were given.", nameof(knownCas));
        }

        if (results.Length < keys.Length)
        {
            throw new ArgumentException($"results has {results.Length} entries but {keys.Length} keys were given.", nameof(results));
        }

        foreach (var key in keys)
        {
            ValidateKey(key, nameof(keys));
        }
    }

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

    private static void ValidateExpiry(TimeSpan? expiry)
    {
        if (expiry is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero, nameof(expiry));
        }
    }
}
