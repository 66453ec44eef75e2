using Microsoft.AspNetCore.Http;
using TenantCache.AspNetCore.Internal;
using TenantCache.Internal;
using TenantCache.Stores;
using Log = TenantCache.AspNetCore.Internal.Log;

namespace TenantCache.AspNetCore.OutputCaching;

public sealed partial class TenantOutputCacheStore
{
    private static readonly char[] s_headerSeparators = [' ', ','];

    private async ValueTask StoreAsync(string key, ReadOnlyMemory<byte> value, string[] tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var (scope, entryKey) = Locate(key);
        var entryTags = new HashSet<string>(tags, StringComparer.Ordinal);
        var http = _http?.HttpContext;
        if (http is not null)
        {
            AddRequestTags(entryTags, http);
            AddEndpointTags(entryTags, http);
        }

        RemoveStructuralTags(entryTags, scope.Path.Count > 0 ? scope.Path[0] : null);
        CacheEntryOptions options;
        try
        {
            options = new CacheEntryOptions
            {
                Expiration = validFor > TimeSpan.Zero ? validFor : TimeSpan.FromSeconds(1),
                Tags = entryTags.Count > 0 ? [.. entryTags] : null,
            };
        }
        catch (ArgumentException ex)
        {
            NotStored("invalid_tag", ref _badTagsLogged, ex);
            return;
        }

        try
        {
            if (scope is IEngineScope engineScope && http is not null)
            {
                // Inside a request: stamp with the tokens the lookup read before the endpoint ran.
                if ((PendingOutputWrite.Take(http, key) ?? _sharedLookups.For(key, OutputCacheContextCapture.StartedAt(http))) is { } pending)
                {
                    await WriteStampedAsync(engineScope, entryKey, value, options, pending, cancellationToken).ConfigureAwait(false);
                    _sharedLookups.Stored(key);
                }
                else
                {
                    NotStored("no_lookup", ref _noLookupLogged, null);
                }

                return;
            }

            // A direct call outside a request (filling the cache by hand): the tokens of now.
            await scope.SetAsync(entryKey, value, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheValueTooLargeException ex)
        {
            NotStored("too_large", ref _tooLargeLogged, ex);
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            NotStored("too_many_tags", ref _badTagsLogged, ex);
        }
    }

    private static async ValueTask WriteStampedAsync(IEngineScope engineScope, string entryKey, ReadOnlyMemory<byte> value, CacheEntryOptions options, PendingOutputWrite pending, CancellationToken cancellationToken)
    {
        var engine = engineScope.Engine;
        var path = engineScope.ScopePath;
        var plan = engine.Plan(path, options);
        var tokens = new ulong[plan.VersionKeys.Length];
        pending.LevelTokens.CopyTo(tokens, 0);
        List<int>? late = null;
        for (var i = 0; i < plan.TagKeys.Length; i++)
        {
            if (pending.TagTokens.TryGetValue(plan.TagKeys[i], out var token))
            {
                tokens[path.Levels + i] = token;
            }
            else
            {
                (late ??= []).Add(i);
            }
        }

        if (late is not null)
        {
            // Tags the endpoint decided while it ran: their tokens can only be read now (docs/aspnetcore.md).
            var lateTokens = await engine.EnsureTokensAsync([.. late.Select(i => plan.TagKeys[i])], cancellationToken).ConfigureAwait(false);
            if (lateTokens is null)
            {
                return;
            }

            for (var j = 0; j < late.Count; j++)
            {
                tokens[path.Levels + late[j]] = lateTokens[j];
            }
        }

        var canonical = path.CanonicalDataKey(entryKey);
        var mode = pending.DataAbsent ? StoreSetMode.Add : StoreSetMode.Set;
        await engine.WriteAsync(path, canonical, KeyEncoder.Bound(canonical), value, plan, tokens, mode, throwIfTooLarge: true, encoded: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tags computed from the request (endpoint metadata): known before the endpoint runs.</summary>
    private static void AddRequestTags(HashSet<string> tags, HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetOrderedMetadata<OutputCacheTagsMetadata>() is { Count: > 0 } metadata)
        {
            foreach (var item in metadata)
            {
                tags.UnionWith(item.Tags(context).Where(static t => !string.IsNullOrWhiteSpace(t)));
            }
        }
    }

    /// <summary>Tags the endpoint decided while it ran: <c>AddOutputCacheTags</c> and the tags header.</summary>
    private void AddEndpointTags(HashSet<string> tags, HttpContext context)
    {
        if (context.Features.Get<OutputCacheTagsFeature>() is { } feature)
        {
            tags.UnionWith(feature.Tags);
        }

        if (_options.TagsHeader is { } header && context.Response.Headers.TryGetValue(header, out var values))
        {
            foreach (var value in values)
            {
                tags.UnionWith((value ?? "").Split(s_headerSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }
    }

    /// <summary>Drops the tags the scope already expresses: the application's, and the entry's own tenant.</summary>
    private void RemoveStructuralTags(HashSet<string> tags, string? ownTenant)
    {
        tags.Remove("*");
        tags.Remove(_options.ApplicationTag);
        if (ownTenant is not null)
        {
            tags.Remove(_options.TenantTagPrefix + ownTenant);
        }
    }

    private void NotStored(string reason, ref int logged, Exception? exception)
    {
        OutputCacheMetrics.NotStored(_cache.Application, reason);
        if (Interlocked.Exchange(ref logged, 1) == 0)
        {
            Log.ResponseNotStoredFirst(_logger, _cache.Application, reason, exception);
        }
        else
        {
            Log.ResponseNotStored(_logger, reason, exception);
        }
    }
}
