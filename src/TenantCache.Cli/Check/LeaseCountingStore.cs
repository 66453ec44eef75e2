using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>
/// A <see cref="CasCountingStore"/> over a store with recompute leases, passing them through: the lease read
/// is counted like any read, the mark and the lease's give-back are forwarded as they are.
/// </summary>
internal sealed class LeaseCountingStore : CasCountingStore, ILeaseCacheStore
{
    private readonly ILeaseCacheStore _lease;

    public LeaseCountingStore(ILeaseCacheStore inner, KeyCensus census, StoreActivity? activity = null)
        : base(inner, census, activity) => _lease = inner;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        Count(keys.Span);
        return Activity.Track(_lease.GetManyAsync(keys, results, knownCas, lease, cancellationToken));
    }

    public ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        Activity.Track(_lease.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken));

    public ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default) =>
        Activity.Track(_lease.DeleteAsync(key, cas, cancellationToken));
}
