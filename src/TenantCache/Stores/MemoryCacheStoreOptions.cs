namespace TenantCache.Stores;

/// <summary>Options for <see cref="MemoryCacheStore"/>. The store copies them when it is created.</summary>
public sealed class MemoryCacheStoreOptions
{
    /// <summary>The default for <see cref="MaxBytes"/>: 64 MiB, like memcached's <c>-m 64</c>.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>The default for <see cref="MaxItemBytes"/>: 1 MiB, like memcached's <c>-I 1m</c>.</summary>
    public const int DefaultMaxItemBytes = 1024 * 1024;

    /// <summary>
    /// The most bytes the store holds, counting every item at
    /// <see cref="MemoryCacheStore.ItemCost"/>. When a write would go past it, least recently used
    /// items are evicted. Must be positive. Default <see cref="DefaultMaxBytes"/>.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// The largest item (key, value and per-item overhead) the store accepts, like memcached's
    /// <c>-I</c>. Must be greater than <see cref="MemoryCacheStore.MaxKeyLength"/> +
    /// <see cref="MemoryCacheStore.ItemOverheadBytes"/> (so at least a one-byte value fits) and at most
    /// <see cref="MaxBytes"/>. Default <see cref="DefaultMaxItemBytes"/>.
    /// </summary>
    public int MaxItemBytes { get; set; } = DefaultMaxItemBytes;

    internal void Validate()
    {
        if (MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "MaxBytes must be positive.");
        }

        const int minimum = MemoryCacheStore.MaxKeyLength + MemoryCacheStore.ItemOverheadBytes + 1;
        if (MaxItemBytes < minimum)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxItemBytes),
                MaxItemBytes,
                $"MaxItemBytes must be at least {minimum} (the longest key plus the per-item overhead plus one byte of value).");
        }

        if (MaxItemBytes > MaxBytes)
        {
            throw new ArgumentException($"MaxItemBytes ({MaxItemBytes}) must not exceed MaxBytes ({MaxBytes}).", nameof(MaxItemBytes));
        }
    }
}
