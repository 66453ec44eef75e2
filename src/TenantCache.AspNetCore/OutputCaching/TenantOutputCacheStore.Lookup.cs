using Microsoft.AspNetCore.Http;
using TenantCache.AspNetCore.Internal;
using TenantCache.Internal;

namespace TenantCache.AspNetCore.OutputCaching;

public sealed partial class TenantOutputCacheStore
{
    /// <summary>
    /// Reads a response. On a miss inside a request, remembers the tokens read (and those of the tags
    /// the policies put on the request), for the write that follows once the endpoint has run.
    /// </summary>
    private async ValueTask<ReadOnlyMemory<byte>?> LookupAsync(string key, CancellationToken cancellationToken)
    {
        var lookupStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var (scope, entryKey) = Locate(key);
        if (scope is not IEngineScope engineScope)
        {
            var result = await scope.GetAsync<ReadOnlyMemory<byte>>(entryKey, cancellationToken).ConfigureAwait(false);
            return result.HasValue ? result.Value : null;
        }

        var engine = engineScope.Engine;
        var path = engineScope.ScopePath;
        var canonical = path.CanonicalDataKey(entryKey);
        var levelTokens = new ulong[path.Levels];
        var read = await engine.ReadAsync<ReadOnlyMemory<byte>>(path, canonical, KeyEncoder.Bound(canonical), levelTokens, cancellationToken).ConfigureAwait(false);
        if (read.Result.TryGetValue(out var value))
        {
            return value;
        }

        if (!read.StoreFailed && _http?.HttpContext is { } http)
        {
            await RememberTokensAsync(http, key, lookupStarted, engine, path, levelTokens, read.DataAbsent, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async ValueTask RememberTokensAsync(
        HttpContext http, string key, long lookupStarted, CacheEngine engine, ScopePath path, ulong[] levelTokens, bool dataAbsent, CancellationToken cancellationToken)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        if (OutputCacheContextCapture.Get(http) is { } context)
        {
            tags.UnionWith(context.Tags);
        }

        AddRequestTags(tags, http);
        RemoveStructuralTags(tags, path.Names.Length > 0 ? path.Names[0] : null);
        EntryPlan plan;
        try
        {
            plan = engine.Plan(path, tags.Count > 0 ? new CacheEntryOptions { Tags = [.. tags] } : null);
        }
        catch (ArgumentException)
        {
            return; // invalid or too many tags: the write will be refused, and counted, then
        }

        var tokens = await engine.TokensAfterMissAsync(plan.VersionKeys, levelTokens, cancellationToken).ConfigureAwait(false);
        if (tokens is null)
        {
            return; // no token could be had: nothing may be stored
        }

        var tagTokens = new Dictionary<string, ulong>(plan.TagKeys.Length, StringComparer.Ordinal);
        for (var i = 0; i < plan.TagKeys.Length; i++)
        {
            tagTokens[plan.TagKeys[i]] = tokens[path.Levels + i];
        }

        var pending = new PendingOutputWrite(key, lookupStarted, tokens[..path.Levels], tagTokens, dataAbsent);
        PendingOutputWrite.Remember(http, pending);
        _sharedLookups.Offer(pending);
    }
}
