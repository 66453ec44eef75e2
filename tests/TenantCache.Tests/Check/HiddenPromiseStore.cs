using TenantCache.Cli.Check;
using TenantCache.Stores;

namespace TenantCache.Tests.Check;

/// <summary>
/// Makes invalidations invisible to processes that reuse tokens: to the read an invalidation makes of
/// the token it replaces, and only to that read, the token's flags say its writer promised no window.
/// The invalidation then returns at once, while the other processes go on using the old token for
/// their whole window. The engine behaves as if it dropped the wait; the judge must report I1.
/// </summary>
internal sealed class HiddenPromiseStore(ILeaseCacheStore inner) : LeaseDelegatingStore(inner)
{
    private int _hidden;

    /// <summary>How many promises were hidden from invalidations.</summary>
    public int Hidden => Volatile.Read(ref _hidden);

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, cancellationToken);
        Hide(keys, results);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, knownCas, cancellationToken);
        Hide(keys, results);
    }

    public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        await base.GetManyAsync(keys, results, knownCas, lease, cancellationToken);
        Hide(keys, results);
    }

    private void Hide(ReadOnlyMemory<string> keys, Memory<StoreItem> results)
    {
        if (OperationLogger.Current.Value is not { Kind: OpKind.InvalidateScope or OpKind.InvalidateTag })
        {
            return;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var item = results.Span[i];
            if (item.Found && item.Flags != OursWithoutWindows && IsVersionKey(keys.Span[i]))
            {
                results.Span[i] = item.IsUnchanged
                    ? StoreItem.Unchanged(item.Cas, OursWithoutWindows, item.Lease)
                    : new StoreItem(item.Value, item.Cas, OursWithoutWindows, item.Lease);
                Interlocked.Increment(ref _hidden);
            }
        }
    }

    /// <summary>Flags of this version that ask for no wait (flags 0 would be an older writer's, which is waited out for the maximum).</summary>
    private const uint OursWithoutWindows = 0x54u << 24;
}
