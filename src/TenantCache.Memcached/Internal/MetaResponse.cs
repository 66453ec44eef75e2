using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>A reply copied out of the read buffer, handed to the waiting caller.</summary>
internal readonly struct MetaResponse
{
    public MetaResponse(ref MetaReply reply)
    {
        Kind = reply.Kind;
        Value = reply.Kind == MetaReplyKind.Value ? reply.Value.ToArray() : null;
        Cas = reply.HasCas ? reply.Cas : 0;
        Ttl = reply.HasTtl ? reply.Ttl : null;
        ClientFlags = reply.ClientFlags;
        Won = reply.Won;
        AlreadyWon = reply.AlreadyWon;
        Stale = reply.Stale;
    }

    public MetaReplyKind Kind { get; }

    public byte[]? Value { get; }

    public ulong Cas { get; }

    public long? Ttl { get; }

    public uint ClientFlags { get; }

    public bool Won { get; }

    public bool AlreadyWon { get; }

    public bool Stale { get; }
}
