using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    private static bool LevelsMatch(in EnvelopeView view, ulong[] tokens, int levels)
    {
        for (var level = 0; level < levels; level++)
        {
            if (view.LevelToken(level) != tokens[level])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Before a get-or-create calls an entry dead (and marks it for the fleet, and recomputes it): when a token it
    /// reused from the window disagrees with the entry's, the entry may be the newer one — written by a process that
    /// already read the invalidation's token. Reads the scope tokens afresh (one round trip, only then) and
    /// returns true when the entry matches them: a hit under tokens read after this read began (I1). Without
    /// this, a process still on the replaced token would recompute the previous generation and write it over
    /// the new entry, and the fleet would go back and forth until its window ran out.
    /// </summary>
    private async ValueTask<bool> ReusedTokensWereOlderAsync(ScopePath scope, EnvelopeView view, ulong[] tokens, ulong[]? levelTokens, ReadStart start, StoreCall call)
    {
        var levels = scope.Levels;
        var versionKeys = scope.VersionKeys;
        if (_tokens.Window <= TimeSpan.Zero)
        {
            return false;
        }

        var reused = false;
        for (var level = 0; level < levels && !reused; level++)
        {
            reused = view.LevelToken(level) != tokens[level] && !_tokens.FetchedSince(versionKeys[level], start, tokens[level]);
        }

        if (!reused)
        {
            return false;
        }

        if (await FreshLevelTokensAsync(scope, call).ConfigureAwait(false) is not { } fresh)
        {
            return false; // as read: dead for this caller (a store failure shows on its next step; a token gone is I4)
        }

        for (var level = 0; level < levels; level++)
        {
            tokens[level] = fresh[level];
            if (levelTokens is not null)
            {
                levelTokens[level] = fresh[level];
            }
        }

        return LevelsMatch(view, tokens, levels);
    }

    /// <summary>The scope's tokens read from the store now, past the window (and recorded for later reads); null when the store fails or one is missing.</summary>
    private async ValueTask<ulong[]?> FreshLevelTokensAsync(ScopePath scope, StoreCall call)
    {
        var levels = scope.Levels;
        var own = new int[levels];
        var flights = new TokenFlight?[levels];
        for (var level = 0; level < levels; level++)
        {
            own[level] = level;
            flights[level] = _tokens.Detached(scope.VersionKeys[level]); // what it reads, later reads reuse
        }

        var fresh = new ulong[levels];
        try
        {
            await FetchAsync(scope.VersionKeys, fresh, own, flights, levels, dataKey: null, 0, default, call).ConfigureAwait(false);
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            return null;
        }

        CacheMetrics.TokensReread(Application);
        return Array.IndexOf(fresh, 0UL) < 0 ? fresh : null;
    }
}
