using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// A <see cref="CasDelegatingStore"/> over a store with recompute leases that keeps them: the engine takes leases
/// only when the store object it is given implements <see cref="ILeaseCacheStore"/>, so a wrapper that hid it
/// would test the engine (and the checker) without fleet-wide single flight. Broken stores override the lease
/// calls too, so that what they break applies to the lease read, the mark and the lease's give-back as well.
/// </summary>
internal class LeaseDelegatingStore(ILeaseCacheStore inner) : CasDelegatingStore(inner), ILeaseCacheStore
{
    public ILeaseCacheStore LeaseInner { get; } = inner;

    public virtual ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default) =>
        LeaseInner.GetManyAsync(keys, results, knownCas, lease, cancellationToken);

    public virtual ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        LeaseInner.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);

    public virtual ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default) =>
        LeaseInner.DeleteAsync(key, cas, cancellationToken);
}
