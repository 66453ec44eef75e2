using TenantCache.Memcached.Internal;
using TenantCache.Memcached.Protocol;
using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>Synchronous request builders: every check runs before a byte is queued.</summary>
public sealed partial class MemcachedClient
{
    private PendingRequest BuildGet(string key, MetaGetFlags flags, long? touchTtl, MetaLease lease = default)
    {
        var request = new PendingRequest(RequestKind.Get, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteGet(request.Buffer, key, flags, touchTtl, lease, request.FormatOpaque(opaque));
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

    private PendingRequest BuildDelete(string key, ulong cas = 0)
    {
        var request = new PendingRequest(RequestKind.Delete, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            MetaCommandWriter.WriteDelete(request.Buffer, key, cas, markStaleTtl: null, quiet: false, request.FormatOpaque(opaque));
            return request;
        }
        catch
        {
            request.ReleaseBuffer();
            throw;
        }
    }

    /// <summary><c>md &lt;key&gt; C&lt;cas&gt; I T&lt;stale&gt; q O&lt;n&gt;</c> then <c>mg &lt;key&gt; v f c N&lt;lease&gt; t O&lt;n&gt;</c>, as one request.</summary>
    private PendingRequest BuildMarkStale(string key, ulong cas, long staleTtl, long leaseTtl)
    {
        var request = new PendingRequest(RequestKind.MarkStale, NextOpaque());
        try
        {
            Span<byte> opaque = stackalloc byte[10];
            var text = request.FormatOpaque(opaque);
            MetaCommandWriter.WriteDelete(request.Buffer, key, cas, staleTtl, quiet: true, text);
            MetaCommandWriter.WriteGet(request.Buffer, key, ReadFlags, null, new MetaLease(leaseTtl, 0), text);
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
            response.Ttl is { } ttl && ttl >= 0 ? TimeSpan.FromSeconds(ttl) : null,
            LeaseOf(response)),
        MetaReplyKind.Miss => MemcachedItem.Missing,
        _ => throw Unexpected(response, server),
    };

    private static MemcachedItem ToItem(in MetaResponse response, ServerEndpoint server) => response.Kind switch
    {
        MetaReplyKind.Value => new MemcachedItem(
            response.Value,
            response.ClientFlags,
            response.Cas,
            response.Ttl is { } ttl && ttl >= 0 ? TimeSpan.FromSeconds(ttl) : null,
            LeaseOf(response)),
        MetaReplyKind.Miss => MemcachedItem.Missing,
        _ => throw Unexpected(response, server),
    };

    /// <summary>The reply's <c>W</c>, <c>Z</c> and <c>X</c> flags.</summary>
    private static StoreLeaseState LeaseOf(in MetaResponse response) =>
        (response.Won ? StoreLeaseState.Won : StoreLeaseState.None)
        | (response.AlreadyWon ? StoreLeaseState.Held : StoreLeaseState.None)
        | (response.Stale ? StoreLeaseState.Stale : StoreLeaseState.None);

    private static MemcachedProtocolException Unexpected(in MetaResponse response, ServerEndpoint server) =>
        new($"Memcached {server} answered {response.Kind}, which this command cannot produce.");
}
