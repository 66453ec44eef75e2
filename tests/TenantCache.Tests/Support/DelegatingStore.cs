using TenantCache.Stores;

namespace TenantCache.Tests.Support;

/// <summary>An <see cref="ICacheStore"/> that forwards to an inner store; tests break one behaviour.</summary>
internal class DelegatingStore : ICacheStore
{
    public DelegatingStore(ICacheStore inner) => Inner = inner;

    public ICacheStore Inner { get; }

    public virtual int MaxValueLength => Inner.MaxValueLength;

    public virtual ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, cancellationToken);

    public virtual ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public virtual ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(key, cancellationToken);

    public virtual ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.TouchAsync(key, expiry, cancellationToken);

    public static bool IsVersionKey(string key) => key.Contains(":v:", StringComparison.Ordinal) || key.Contains(":t:", StringComparison.Ordinal);

    public static bool IsDataKey(string key) => key.Contains(":d:", StringComparison.Ordinal);
}
