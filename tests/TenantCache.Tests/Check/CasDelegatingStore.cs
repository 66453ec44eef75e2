using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Check;

/// <summary>
/// A <see cref="DelegatingStore"/> over a store with CAS and flags that keeps both: the engine reuses
/// tokens (and waits out their windows) only when the store object it is given implements
/// <see cref="ICasCacheStore"/>, so a wrapper that hid it would test the engine with the window off.
/// Broken stores override the calls they break in both forms (plain and CAS).
/// </summary>
internal class CasDelegatingStore(ICasCacheStore inner) : DelegatingStore(inner), ICasCacheStore
{
    public ICasCacheStore CasInner { get; } = inner;

    public virtual ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default) =>
        CasInner.GetManyAsync(keys, results, knownCas, cancellationToken);

    public virtual ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default) =>
        CasInner.SetAsync(key, value, mode, expiry, flags, cas, cancellationToken);
}
