using Microsoft.AspNetCore.Http;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.AspNetCore.OutputCaching;

public sealed partial class TenantOutputCacheStore
{
    private static readonly char[] s_headerSeparators = [' ', ','];

    private async ValueTask StoreAsync(string key, ReadOnlyMemory<byte> value, string[] tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var (scope, entryKey) = Locate(key);
        var ownTenant = scope.Path.Count > 0 ? scope.Path[0] : null;
        var entryTags = CollectTags(tags, ownTenant);
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
            await scope.SetAsync(entryKey, value, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheValueTooLargeException ex)
        {
            NotStored("too_large", ref _tooLargeLogged, ex);
        }
        catch (ArgumentException ex) when (ex.ParamName == "options")
        {
            NotStored("too_many_tags", ref _badTagsLogged, ex);
        }
    }

    /// <summary>
    /// The middleware's tags, the endpoint's (metadata, <c>AddOutputCacheTags</c>, the tags header),
    /// less those the scope already expresses: the application tag, and the entry's own tenant.
    /// </summary>
    private HashSet<string> CollectTags(string[] tags, string? ownTenant)
    {
        var all = new HashSet<string>(tags, StringComparer.Ordinal);
        if (_http?.HttpContext is { } context)
        {
            if (context.Features.Get<OutputCacheTagsFeature>() is { } feature)
            {
                all.UnionWith(feature.Tags);
            }

            if (context.GetEndpoint()?.Metadata.GetOrderedMetadata<OutputCacheTagsMetadata>() is { Count: > 0 } metadata)
            {
                foreach (var item in metadata)
                {
                    all.UnionWith(item.Tags(context).Where(static t => !string.IsNullOrWhiteSpace(t)));
                }
            }

            if (_options.TagsHeader is { } header && context.Response.Headers.TryGetValue(header, out var values))
            {
                foreach (var value in values)
                {
                    all.UnionWith((value ?? "").Split(s_headerSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
            }
        }

        all.Remove("*");
        all.Remove(_options.ApplicationTag);
        if (ownTenant is not null)
        {
            all.Remove(_options.TenantTagPrefix + ownTenant);
        }

        return all;
    }

    private void NotStored(string reason, ref int logged, Exception exception)
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
