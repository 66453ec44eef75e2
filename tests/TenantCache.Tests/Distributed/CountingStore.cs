using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Distributed;

/// <summary>Counts what reaches the store, to show a clear is one write and a refused value sends nothing.</summary>
internal sealed class CountingStore(ICacheStore inner) : DelegatingStore(inner)
{
    private int _sets;
    private int _deletes;
    private int _touches;

    public int Sets => Volatile.Read(ref _sets);

    public int Deletes => Volatile.Read(ref _deletes);

    public int Touches => Volatile.Read(ref _touches);

    public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _sets);
        return base.SetAsync(key, value, mode, expiry, cancellationToken);
    }

    public override ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deletes);
        return base.DeleteAsync(key, cancellationToken);
    }

    public override ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _touches);
        return base.TouchAsync(key, expiry, cancellationToken);
    }
}
