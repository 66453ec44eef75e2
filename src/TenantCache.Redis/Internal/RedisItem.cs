using System.Buffers.Binary;
using System.Security.Cryptography;
using TenantCache.Stores;

namespace TenantCache.Redis.Internal;

/// <summary>
/// What one Redis string holds: a 14-byte header — the mark <c>0x54</c> ('T'), the item's CAS (a random
/// nonzero 64-bit number each write draws, little-endian), its client flags (32 bits, little-endian) and
/// its lease state (bit 0: a lease was handed out, memcached's TOKEN_SENT; bit 1: marked stale) — then
/// the value. Redis has none of these; keeping them in the value makes a read one <c>GET</c>.
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
        item[13] = 0; // a write replaces the item: no lease, not stale
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
    /// item of ours and reads as a miss — it can never pass for an entry. <paramref name="verdict"/>: what a lease
    /// read's script decided (won, held, or nothing); a plain read takes the state byte as it is.
    /// </summary>
    public static StoreItem Decode(ReadOnlyMemory<byte> stored, StoreLeaseState? verdict = null)
    {
        var span = stored.Span;
        if (span.Length < HeaderLength || span[0] != Mark)
        {
            return StoreItem.Missing;
        }

        var cas = BinaryPrimitives.ReadUInt64LittleEndian(span[1..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span[9..]);
        var stale = (span[13] & 2) != 0 ? StoreLeaseState.Stale : StoreLeaseState.None;
        var lease = verdict is { } won ? won | stale : StateOf(span[13]); // a lease read's own verdict: the bit it just set is its win
        return cas == 0 ? StoreItem.Missing : new StoreItem(stored[HeaderLength..], cas, flags, lease);
    }

    /// <summary>What a read learns from the state byte: held once a lease is out, stale once marked (as memcached's plain reads report them).</summary>
    public static StoreLeaseState StateOf(byte state) =>
        ((state & 1) != 0 ? StoreLeaseState.Held : StoreLeaseState.None) | ((state & 2) != 0 ? StoreLeaseState.Stale : StoreLeaseState.None);
}
