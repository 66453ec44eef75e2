using Microsoft.AspNetCore.Http;

namespace TenantCache.AspNetCore.Internal;

/// <summary>
/// What a missed lookup learnt before the endpoint ran: the version tokens of the response's scope
/// and of the tags known then, and whether the entry was absent. The write that follows is stamped
/// with these tokens, never with tokens read after the response was computed, so an invalidation
/// that returns while the endpoint runs makes the stored response dead (I1).
/// </summary>
internal sealed class PendingOutputWrite
{
    private static readonly object s_itemKey = new();

    public PendingOutputWrite(string key, long lookupStarted, ulong[] levelTokens, Dictionary<string, ulong> tagTokens, bool dataAbsent)
    {
        Key = key;
        LookupStarted = lookupStarted;
        LevelTokens = levelTokens;
        TagTokens = tagTokens;
        DataAbsent = dataAbsent;
    }

    /// <summary>The middleware's key this lookup was for.</summary>
    public string Key { get; }

    /// <summary>When the lookup began (<see cref="System.Diagnostics.Stopwatch"/> timestamp): its tokens were read after.</summary>
    public long LookupStarted { get; }

    public ulong[] LevelTokens { get; }

    /// <summary>Token per tag version key, for the tags known at lookup.</summary>
    public Dictionary<string, ulong> TagTokens { get; }

    public bool DataAbsent { get; }

    public static void Remember(HttpContext context, PendingOutputWrite pending) => context.Items[s_itemKey] = pending;

    /// <summary>The pending write of <paramref name="key"/> in this request, taken (a write uses it once).</summary>
    public static PendingOutputWrite? Take(HttpContext context, string key)
    {
        if (context.Items.TryGetValue(s_itemKey, out var value) && value is PendingOutputWrite pending && pending.Key == key)
        {
            context.Items.Remove(s_itemKey);
            return pending;
        }

        return null;
    }
}
