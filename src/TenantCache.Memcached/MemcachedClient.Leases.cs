using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached;

/// <summary>Lease operations for the store port: a CAS-guarded mark-stale with its lease read, a CAS-guarded delete.</summary>
public sealed partial class MemcachedClient
{
    /// <summary>
    /// If <paramref name="key"/> still has CAS <paramref name="cas"/>, marks it stale for at most
    /// <paramref name="staleTtl"/> (wire TTL) more, then reads it with a lease request of
    /// <paramref name="leaseTtl"/> (wire TTL): <c>md k C&lt;cas&gt; I T&lt;stale&gt; q O&lt;n&gt;</c> and
    /// <c>mg k v f c N&lt;lease&gt; t O&lt;n&gt;</c> as one request, so both go out in one write on one
    /// connection, in that order. <c>Marked</c> is false when the <c>md</c> answered <c>EX</c> (another
    /// CAS) or <c>NF</c> (gone).
    /// </summary>
    internal async ValueTask<(MemcachedItem Item, bool Marked)> MarkStaleAsync(string key, ulong cas, long staleTtl, long leaseTtl, CancellationToken cancellationToken)
    {
        MetaKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildMarkStale(key, cas, staleTtl, leaseTtl);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (ToItem(response, node.Endpoint), request.Prelude == MetaReplyKind.None);
    }

    /// <summary>Deletes <paramref name="key"/> if it still has CAS <paramref name="cas"/> (<c>md k C&lt;cas&gt;</c>): true on <c>HD</c>, false on <c>EX</c> or <c>NF</c>.</summary>
    internal async ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken)
    {
        MetaKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        ThrowIfDisposed();
        var node = NodeFor(key);
        var request = BuildDelete(key, cas);
        var response = await node.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Kind switch
        {
            MetaReplyKind.Success => true,
            MetaReplyKind.NotFound or MetaReplyKind.Exists => false,
            _ => throw Unexpected(response, node.Endpoint),
        };
    }
}
