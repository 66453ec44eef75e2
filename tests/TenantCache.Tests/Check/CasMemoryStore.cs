using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// <see cref="MemoryCacheStore"/> behind a type the engine does not recognize, with everything it has: CAS and
/// flags (<see cref="ICasCacheStore"/>) and recompute leases (<see cref="ILeaseCacheStore"/>). Over the store
/// itself the engine applies the in-process defaults (no token window, no leases: one process); over this
/// adapter it applies a networked store's (the default window, leases on), as it would on memcached, so
/// in-process runs can exercise the window and fleet-wide single flight.
/// </summary>
internal class CasMemoryStore(MemoryCacheStore inner) : ILeaseCacheStore
{
    public CasMemoryStore()
        : this(new MemoryCacheStore())
    {
    }

    public MemoryCacheStore Inner { get; } = inner;

    public int MaxValueLength => Inner.MaxValueLength;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, cancellationToken);

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, knownCas, cancellationToken);

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, knownCas, lease, cancellationToken);

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);

    public virtual ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        Inner.MarkStaleAsync(key, cas, staleFor, leaseDuration, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cas, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => Inner.TouchAsync(key, expiry, cancellationToken);
}
