namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    private RecentMissTokens? _missTokens;

    /// <summary>The tokens recent misses read, for callers that get, compute and then set (created on first use).</summary>
    internal RecentMissTokens MissTokens
    {
        get
        {
            var tokens = Volatile.Read(ref _missTokens);
            return tokens ?? Interlocked.CompareExchange(ref _missTokens, new RecentMissTokens(_time, forgotLive: () => CacheMetrics.MissTokensForgotten(Application)), null) ?? _missTokens;
        }
    }

    /// <summary>
    /// A read whose caller may compute the value and write it next with a plain set (IDistributedCache).
    /// On a miss the level tokens read are remembered for that write (<see cref="RecalledTokens"/>);
    /// missing ones are created first, as a get-or-create's miss does, so the write cannot be stamped
    /// with a token an invalidation wrote after this read. Nothing is remembered when the store failed.
    /// </summary>
    public async ValueTask<CacheResult<T>> ReadRememberingMissAsync<T>(ScopePath scope, string canonicalKey, string storeKey, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            var levelTokens = new ulong[scope.Levels];
            var read = await ReadAsync<T>(scope, canonicalKey, storeKey, levelTokens, call).ConfigureAwait(false);
            if (read.Result.HasValue || read.StoreFailed)
            {
                return read.Result;
            }

            var tokens = await TokensAfterMissAsync(scope.VersionKeys, levelTokens, call).ConfigureAwait(false);
            if (tokens is not null)
            {
                MissTokens.Remember(storeKey, tokens);
            }

            return read.Result;
        }
        finally
        {
            EndCall(call);
        }
    }

    /// <summary>
    /// The tokens a recent miss of <paramref name="storeKey"/> read, to stamp a write of it with (older
    /// tokens are always safe: at worst the entry is dead), or <see langword="null"/>: read them at write time.
    /// </summary>
    public ulong[]? RecalledTokens(string storeKey, EntryPlan plan) =>
        plan.TagKeys.Length == 0 ? Volatile.Read(ref _missTokens)?.Recall(storeKey) : null;
}
