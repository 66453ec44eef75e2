using TenantCache.Memcached.Protocol;
using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>The lease writes of <see cref="ILeaseCacheStore"/>: a CAS-guarded mark-stale with its lease read, a CAS-guarded delete.</summary>
public sealed partial class MemcachedCacheStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// One request, one write, one connection: <c>md k C&lt;cas&gt; I T&lt;stale&gt; q</c> followed by
    /// <c>mg k v f c N&lt;lease&gt; t</c>, both carrying the same opaque. The <c>md</c> answers only when it did
    /// not mark (<c>EX</c>: another CAS, <c>NF</c>: gone); either way the <c>mg</c>'s reply is the result.
    /// Durations are whole seconds rounded up.
    /// </remarks>
    public async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireCas(cas);
        RequirePositive(staleFor, nameof(staleFor), "A marked item lives a positive time.");
        RequirePositive(leaseDuration, nameof(leaseDuration), "A lease lasts a positive time.");
        var staleTtl = MetaTtl.ToWire(staleFor, Client.TimeProvider, nameof(staleFor));
        var leaseTtl = MetaTtl.ToWire(leaseDuration, Client.TimeProvider, nameof(leaseDuration));
        var (item, _) = await Client.MarkStaleAsync(key, cas, staleTtl, leaseTtl, cancellationToken).ConfigureAwait(false);
        return item.Found ? new StoreItem(item.Value, item.Cas, item.ClientFlags, item.Lease) : StoreItem.Missing;
    }

    /// <inheritdoc/>
    /// <remarks><c>md k C&lt;cas&gt;</c>: <c>HD</c> is true; <c>EX</c> (another CAS) and <c>NF</c> (gone) are false.</remarks>
    public ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireCas(cas);
        return Client.DeleteAsync(key, cas, cancellationToken);
    }

    /// <summary>The lease flags of a read: <c>N</c> and <c>R</c> in whole seconds, rounded up.</summary>
    private MetaLease WireLease(StoreLease lease)
    {
        // default(StoreLease) has no duration: it is not a lease request.
        RequirePositive(lease.Duration, nameof(lease), "A lease lasts a positive time (default(StoreLease) asks for none).");
        var vivify = MetaTtl.ToWire(lease.Duration, Client.TimeProvider, nameof(lease));
        var refresh = lease.RefreshBefore <= TimeSpan.Zero ? 0
            : (long)Math.Min(Math.Ceiling(lease.RefreshBefore.TotalSeconds), MetaTtl.MaxRelativeSeconds);
        return new MetaLease(vivify, refresh);
    }

    private static void RequireCas(ulong cas)
    {
        if (cas == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cas), cas, "A CAS-guarded operation needs the CAS the caller read; 0 is no CAS.");
        }
    }

    private static void RequirePositive(TimeSpan value, string paramName, string message)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, message);
        }
    }
}
