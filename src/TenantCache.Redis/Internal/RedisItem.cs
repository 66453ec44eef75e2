using System.Buffers.Binary;
using System.Security.Cryptography;
using TenantCache.Stores;

namespace TenantCache.Redis.Internal;

/// <summary>
/// What one Redis string holds: a 13-byte header — the mark <c>0x54</c> ('T'), the item's CAS (a random
/// nonzero 64-bit number each write draws, little-endian) and its client flags (32 bits, little-endian) —
/// then the value. Redis has neither CAS nor flags; keeping them in the value makes a read one <c>GET</c>.
/// </summary>
internal static class RedisItem
{
    public const byte Mark = 0x54;
    public const int HeaderLength = RedisStoreOptions.RedisItemHeaderLength;

    /// <summary>A fresh CAS: random (so two writers never agree by chance), never zero (zero means "none").</summary>
    public static ulong NewCas()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var cas = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return cas == 0 ? 1 : cas;
    }

    public static byte[] Encode(ReadOnlySpan<byte> value, ulong cas, uint flags)
    {
        var item = new byte[HeaderLength + value.Length];
        item[0] = Mark;
        BinaryPrimitives.WriteUInt64LittleEndian(item.AsSpan(1), cas);
        BinaryPrimitives.WriteUInt32LittleEndian(item.AsSpan(9), flags);
        value.CopyTo(item.AsSpan(HeaderLength));
        return item;
    }

    /// <summary>The CAS as the script compares it: the header's 8 bytes.</summary>
    public static byte[] CasBytes(ulong cas)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, cas);
        return bytes;
    }

    /// <summary>
    /// The item a string holds; a string without our header (written by someone else, or cut short) is no
    /// item of ours and reads as a miss — it can never pass for an entry.
    /// </summary>
    public static StoreItem Decode(ReadOnlyMemory<byte> stored)
    {
        var span = stored.Span;
        if (span.Length < HeaderLength || span[0] != Mark)
        {
            return StoreItem.Missing;
        }

        var cas = BinaryPrimitives.ReadUInt64LittleEndian(span[1..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span[9..]);
        return cas == 0 ? StoreItem.Missing : new StoreItem(stored[HeaderLength..], cas, flags);
    }
}
