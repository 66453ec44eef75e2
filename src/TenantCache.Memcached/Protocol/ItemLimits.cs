namespace TenantCache.Memcached.Protocol;

/// <summary>How much of memcached's <c>item_size_max</c> a value may use.</summary>
internal static class ItemLimits
{
    /// <summary>memcached's default <c>-I</c>: 1 MiB.</summary>
    public const int DefaultItemSizeMax = 1024 * 1024;

    /// <summary>Item header (48) + CAS (8) + key terminator (1) + data CRLF (2), memcached 1.6 on 64-bit.</summary>
    private const int ItemOverhead = 48 + 8 + 1 + 2;

    /// <summary>Extra bytes when client flags are not zero.</summary>
    private const int FlagsOverhead = 4;

    /// <summary>The largest value storable under a key of <paramref name="keyLength"/> bytes.</summary>
    public static int MaxValueLength(int itemSizeMax, int keyLength, uint clientFlags) =>
        itemSizeMax - ItemOverhead - keyLength - (clientFlags != 0 ? FlagsOverhead : 0);

    /// <summary>The largest value storable under any valid key with any client flags.</summary>
    public static int MaxValueLengthAnyKey(int itemSizeMax) =>
        MaxValueLength(itemSizeMax, MetaKey.MaxLength, uint.MaxValue);
}
