using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Synchronous request builders: every check runs before a byte is queued.</summary>
public sealed partial class MemcachedClient
{
    private PendingRequest BuildGet(string key, MetaGetFlags flags, long? touchTtl)
    {
        var request = new PendingRequest(RequestKind.Get, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteGet(request.Buffer, key, flags, touchTtl, request.FormatOpaque(opaque));
            return request;
        }
        catch
        {
            request.ReleaseBuffer();
            throw;
        }
    }

    private PendingRequest BuildStore(string key, ReadOnlySpan<byte> value, int maxValueLength, MetaStoreMode mode, long ttl, uint clientFlags, ulong cas)
    {
        var request = new PendingRequest(RequestKind.Store, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteStore(request.Buffer, key, value, maxValueLength, mode, ttl, clientFlags, cas, request.FormatOpaque(opaque));
            return request;
        }
        catch
        {
            request.ReleaseBuffer();
            throw;
        }
    }

    private PendingRequest BuildDelete(string key)
    {
        var request = new PendingRequest(RequestKind.Delete, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteDelete(request.Buffer, key, request.FormatOpaque(opaque));
            return request;
        }
        catch
        {
            request.ReleaseBuffer();
            throw;
        }
    }

    private PendingRequest BuildArithmetic(string key, bool increment, ulong delta, ulong? initial, long createTtl)
    {
        var request = new PendingRequest(RequestKind.Arithmetic, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteArithmetic(request.Buffer, key, increment, delta, initial, createTtl, request.FormatOpaque(opaque));
            return request;
        }
        catch
        {
            request.ReleaseBuffer();
            throw;
        }
    }

    /// <summary>The reply to a read without the value (<c>HD</c> with flags, CAS and TTL, or a miss).</summary>
    private static MemcachedItem ToHeader(in MetaResponse response, ServerEndpoint server) => response.Kind switch
    {
        MetaReplyKind.Success => new MemcachedItem(
            ReadOnlyMemory<byte>.Empty,
            response.ClientFlags,
            response.Cas,
            response.Ttl is { } ttl && ttl >= 0 ? TimeSpan.FromSeconds(ttl) : null),
        MetaReplyKind.Miss => MemcachedItem.Missing,
        _ => throw Unexpected(response, server),
    };

    private static MemcachedItem ToItem(in MetaResponse response, ServerEndpoint server) => response.Kind switch
    {
        MetaReplyKind.Value => new MemcachedItem(
            response.Value,
            response.ClientFlags,
            response.Cas,
            response.Ttl is { } ttl && ttl >= 0 ? TimeSpan.FromSeconds(ttl) : null),
        MetaReplyKind.Miss => MemcachedItem.Missing,
        _ => throw Unexpected(response, server),
    };

    private static MemcachedProtocolException Unexpected(in MetaResponse response, ServerEndpoint server) =>
        new($"Memcached {server} answered {response.Kind}, which this command cannot produce.");
}
