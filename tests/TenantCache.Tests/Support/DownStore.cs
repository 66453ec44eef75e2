using TenantCache.Stores;

namespace TenantCache.Tests.Support;

/// <summary>A store that is down: every operation fails with <see cref="CacheStoreException"/>.</summary>
internal sealed class DownStore : ICacheStore
{
    public int MaxValueLength => 1 << 20;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        ValueTask.FromException(new CacheStoreException("down"));

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<StoreSetResult>(new CacheStoreException("down"));

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<bool>(new CacheStoreException("down"));

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<bool>(new CacheStoreException("down"));
}
