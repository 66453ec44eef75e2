using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// The value layout of <see cref="BenchDistributedCache"/>: a 17-byte header (format byte,
/// absolute expiry in Unix milliseconds or 0, sliding window in milliseconds or 0) then the payload.
/// </summary>
internal static class BenchDistributedCacheEntry
{
    public const int HeaderLength = 17;
    private const byte Format = 0xD1;

    public static byte[] Encode(ReadOnlySpan<byte> payload, DateTimeOffset? absolute, TimeSpan? sliding)
    {
        var bytes = new byte[HeaderLength + payload.Length];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), absolute?.ToUnixTimeMilliseconds() ?? 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(9), (long)(sliding?.TotalMilliseconds ?? 0));
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out DateTimeOffset? absolute, out TimeSpan? sliding)
    {
        absolute = null;
        sliding = null;
        if (bytes.Length < HeaderLength || bytes[0] != Format)
        {
            return false;
        }

        var absoluteMs = BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]);
        var slidingMs = BinaryPrimitives.ReadInt64LittleEndian(bytes[9..]);
        absolute = absoluteMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(absoluteMs) : null;
        sliding = slidingMs > 0 ? TimeSpan.FromMilliseconds(slidingMs) : null;
        return true;
    }

    /// <summary>The memcached key for a cache key: itself when valid, else a SHA-256 digest of it.</summary>
    public static string KeyFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (MetaKey.IsValid(key) && !key.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return key;
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The TTL to give an entry now: the sliding window, capped by the absolute expiry.</summary>
    public static TimeSpan? TtlAt(DateTimeOffset now, DateTimeOffset? absolute, TimeSpan? sliding)
    {
        var untilAbsolute = absolute - now;
        if (sliding is { } window)
        {
            return untilAbsolute is { } left && left < window ? left : window;
        }

        return untilAbsolute;
    }
}
