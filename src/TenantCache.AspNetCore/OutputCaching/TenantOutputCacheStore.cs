using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.AspNetCore.OutputCaching;

/// <summary>
/// ASP.NET Core's output-cache store over TenantCache. A response cached through
/// <c>VaryByTenant()</c> is an entry in its tenant's scope, any other response an entry of the
/// application, so evicting a tenant, the application or a tag is one version-token write, O(1),
/// whatever the number of cached responses — and correct across every instance sharing the store.
/// </summary>
/// <remarks>
/// <para>Tag mapping in <see cref="EvictByTagAsync"/>: <c>{TenantTagPrefix}{id}</c> → tenant <c>id</c>;
/// <c>*</c> and <see cref="TenantOutputCacheOptions.ApplicationTag"/> → the application; any other tag
/// → a TenantCache tag of the application (every tenant's responses carrying it).</para>
/// <para>Fails open like the rest of TenantCache: a store that is down makes lookups misses and skips
/// writes; a response too large for the store, or with too many tags, is served but not cached
/// (logged once, counted). Eviction throws <see cref="CacheInvalidationException"/> when it could not
/// be recorded, because the caller must know.</para>
/// </remarks>
public sealed partial class TenantOutputCacheStore : IOutputCacheBufferStore
{
    /// <summary>The prefix of every output-cache entry's key inside its scope.</summary>
    internal const string EntryKeyPrefix = "output-cache:";

    private readonly ITenantCache _cache;
    private readonly TenantOutputCacheOptions _options;
    private readonly IHttpContextAccessor? _http;
    private readonly ILogger _logger;
    private int _tooLargeLogged;
    private int _badTagsLogged;
    private int _noLookupLogged;
    private readonly SharedLookups _sharedLookups = new();

    /// <summary>Creates the store over an application's cache.</summary>
    public TenantOutputCacheStore(ITenantCache cache, IOptions<TenantOutputCacheOptions> options, IHttpContextAccessor? httpContextAccessor = null, ILogger<TenantOutputCacheStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options.Value;
        _options.Validate();
        _http = httpContextAccessor;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var hit = await LookupAsync(key, cancellationToken).ConfigureAwait(false);
        return hit?.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (await LookupAsync(key, cancellationToken).ConfigureAwait(false) is not { } hit)
        {
            return false;
        }

        destination.Write(hit.Span);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        return StoreAsync(key, new ReadOnlyMemory<byte>(value), tags ?? [], validFor, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var bytes = value.IsSingleSegment ? value.First : value.ToArray();
        return StoreAsync(key, bytes, tags.Span.ToArray(), validFor, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        if (tag == "*" || tag == _options.ApplicationTag)
        {
            return _cache.InvalidateAsync(cancellationToken);
        }

        if (TenantOfTag(tag) is { } tenant)
        {
            return EvictTenantAsync(tenant, tag, cancellationToken);
        }

        return _cache.InvalidateTagAsync(tag, cancellationToken);
    }

    private async ValueTask EvictTenantAsync(string tenant, string tag, CancellationToken cancellationToken)
    {
        // The tenant's scope holds every response cached for it; the tag of the same name marks
        // responses of other scopes that were tagged with it explicitly. Both in parallel: one round trip.
        var scope = _cache.Tenant(tenant).InvalidateAsync(cancellationToken).AsTask();
        var explicitTag = _cache.InvalidateTagAsync(tag, cancellationToken).AsTask();
        await Task.WhenAll(scope, explicitTag).ConfigureAwait(false);
    }

    private string? TenantOfTag(string tag) =>
        tag.Length > _options.TenantTagPrefix.Length
        && tag.StartsWith(_options.TenantTagPrefix, StringComparison.Ordinal)
        && !tag.AsSpan(_options.TenantTagPrefix.Length).IsWhiteSpace()
            ? tag[_options.TenantTagPrefix.Length..]
            : null;

    /// <summary>The scope a key's response lives in, and its key there.</summary>
    private (ICacheScope Scope, string EntryKey) Locate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return TenantKeyPrefix.TryParse(key, out var tenant, out var rest)
            ? (_cache.Tenant(tenant), EntryKeyPrefix + rest)
            : (_cache, EntryKeyPrefix + key);
    }
}
