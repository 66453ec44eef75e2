namespace TenantCache.Stores;

/// <summary>
/// The argument rules every store of the port applies the same way (the in-process store, the Redis store):
/// bad input is refused with an <see cref="ArgumentException"/> before anything changes or is sent.
/// </summary>
internal static class StoreArguments
{
    /// <summary>The longest key of the port (memcached's limit).</summary>
    public const int MaxKeyLength = 250;

    public static void ValidateKey(string key, string paramName)
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

    public static void ValidateRead(ReadOnlySpan<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas)
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

    public static void ValidateLease(StoreLease lease, int keyCount)
    {
        if (lease.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease.Duration, "The lease lasts no time: a default StoreLease asks for nothing; create one with its constructor.");
        }

        if ((uint)lease.Index >= (uint)keyCount)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease.Index, $"The lease is for key {lease.Index}, but {keyCount} keys were given.");
        }
    }

    public static void ValidatePositive(TimeSpan duration, string paramName)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, duration, "Must be positive.");
        }
    }

    public static void ValidateExpiry(TimeSpan? expiry)
    {
        if (expiry is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero, nameof(expiry));
        }
    }
}
