using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// <see cref="MemoryCacheStore"/> as an <see cref="ICasCacheStore"/>. The store has the CAS and flags
/// members but does not declare the interface (reported: on it the engine's window is always zero,
/// whatever <see cref="TenantCacheOptions.TokenReuseWindow"/> says), so in-process runs with a window
/// go through this adapter.
/// </summary>
internal sealed class CasMemoryStore(MemoryCacheStore inner) : ICasCacheStore
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

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => Inner.TouchAsync(key, expiry, cancellationToken);
}
