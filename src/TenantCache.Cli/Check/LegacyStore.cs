using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>
/// A store as a process of an older version sees it (<see cref="ProcessRole.Legacy"/>): no CAS, no flags.
/// Its engine therefore reads every token on every read and would invalidate blindly.
/// </summary>
internal sealed class LegacyStore(ICacheStore inner) : ICacheStore
{
    public ICacheStore Inner { get; } = inner;

    public int MaxValueLength => Inner.MaxValueLength;

    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        Inner.GetManyAsync(keys, results, cancellationToken);

    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(key, value, mode, expiry, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);

    public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => Inner.TouchAsync(key, expiry, cancellationToken);
}
