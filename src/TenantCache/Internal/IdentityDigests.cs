using System.Collections.Concurrent;

namespace TenantCache.Internal;

/// <summary>
/// The identity digests computed recently (<see cref="Envelope.IdentityDigest(string, ReadOnlySpan{byte}, Span{byte})"/>),
/// by canonical identity: a pure function, so a cached digest is exact. Bounded: emptied when full.
/// </summary>
internal static class IdentityDigests
{
    private const int Capacity = 16_384;
    private static readonly ConcurrentDictionary<string, Digest> s_digests = new(StringComparer.Ordinal);
    private static int s_count;

    public static bool TryGet(string canonicalIdentity, ReadOnlySpan<byte> typeIdentity, Span<byte> destination)
    {
        if (s_digests.TryGetValue(canonicalIdentity, out var digest) && typeIdentity.SequenceEqual(digest.Type))
        {
            digest.Bytes.CopyTo(destination);
            return true;
        }

        return false;
    }

    public static void Add(string canonicalIdentity, ReadOnlySpan<byte> typeIdentity, ReadOnlySpan<byte> digest)
    {
        if (Interlocked.Increment(ref s_count) > Capacity)
        {
            s_digests.Clear();
            Interlocked.Exchange(ref s_count, 0);
        }

        s_digests[canonicalIdentity] = new Digest(typeIdentity.ToArray(), digest.ToArray());
    }

    private sealed record Digest(byte[] Type, byte[] Bytes);
}
