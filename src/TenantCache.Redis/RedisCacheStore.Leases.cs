using StackExchange.Redis;
using TenantCache.Redis.Internal;
using TenantCache.Stores;
using static TenantCache.Stores.StoreArguments;

namespace TenantCache.Redis;

/// <content>Recompute leases: memcached's rules (W/Z/X, placeholders, mark stale) as one-key scripts.</content>
public sealed partial class RedisCacheStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// The lease key is read by a script, the others by <c>GET</c>, all written before any reply is awaited:
    /// still one round trip per node. Durations are exact to the millisecond (memcached rounds to seconds).
    /// Plain reads report a held lease and a stale mark, but never win one (memcached's plain <c>mg</c> does).
    /// </remarks>
    public async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, StoreLease lease, CancellationToken cancellationToken = default)
    {
        ValidateRead(keys.Span, results, knownCas);
        ValidateLease(lease, keys.Length);
        cancellationToken.ThrowIfCancellationRequested();
        var span = keys.Span;
        var reads = new Task<RedisValue>[keys.Length];
        Task<RedisResult>? leased = null;
        for (var i = 0; i < reads.Length; i++)
        {
            if (i == lease.Index)
            {
                leased = _db.ScriptEvaluateAsync(RedisLeaseScripts.LeaseRead, [span[i]], LeaseArguments(lease.Duration, lease.RefreshBefore));
                reads[i] = Task.FromResult(RedisValue.Null);
            }
            else
            {
                reads[i] = _db.StringGetAsync(span[i]);
            }
        }

        await RunAsync(Task.WhenAll(Task.WhenAll(reads), leased!), cancellationToken).ConfigureAwait(false);
        var output = results.Span;
        for (var i = 0; i < reads.Length; i++)
        {
            output[i] = i == lease.Index ? FromScript(leased!.Result) : reads[i].Result is { IsNull: false } value ? RedisItem.Decode((ReadOnlyMemory<byte>)value) : StoreItem.Missing;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<StoreItem> MarkStaleAsync(string key, ulong cas, TimeSpan staleFor, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ValidatePositive(staleFor, nameof(staleFor));
        ValidatePositive(leaseDuration, nameof(leaseDuration));
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue[] args = [.. LeaseArguments(leaseDuration, TimeSpan.Zero), RedisItem.CasBytes(cas), RedisItem.CasBytes(RedisItem.NewCas()), RedisScripts.Milliseconds(staleFor)];
        return FromScript(await RunAsync(_db.ScriptEvaluateAsync(RedisLeaseScripts.MarkStale, [key], args), cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string key, ulong cas, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ArgumentOutOfRangeException.ThrowIfZero(cas);
        cancellationToken.ThrowIfCancellationRequested();
        return (long)await RunAsync(_db.ScriptEvaluateAsync(RedisLeaseScripts.DeleteIfCas, [key], [RedisItem.CasBytes(cas)]), cancellationToken).ConfigureAwait(false) == 1;
    }

    private static RedisValue[] LeaseArguments(TimeSpan duration, TimeSpan refreshBefore) =>
        [RedisScripts.Milliseconds(duration), refreshBefore > TimeSpan.Zero ? RedisScripts.Milliseconds(refreshBefore) : 0, RedisItem.CasBytes(RedisItem.NewCas())];

    /// <summary>The <c>{item, verdict}</c> a lease script returns, as the port's item.</summary>
    private static StoreItem FromScript(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        if (parts.Length != 2 || parts[0].IsNull)
        {
            return StoreItem.Missing;
        }

        var verdict = (string?)parts[1] switch
        {
            "W" => StoreLeaseState.Won,
            "Z" => StoreLeaseState.Held,
            _ => (StoreLeaseState?)null,
        };
        return RedisItem.Decode((byte[])parts[0]!, verdict);
    }
}
