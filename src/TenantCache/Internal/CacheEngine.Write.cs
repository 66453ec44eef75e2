using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Validates and resolves an entry's options once, before anything is computed or sent. Tags are the
    /// application's, or with <paramref name="scopedTags"/> private to <paramref name="scope"/>.
    /// </summary>
    public EntryPlan Plan(ScopePath scope, CacheEntryOptions? options, bool scopedTags = false)
    {
        string[] tagKeys = [];
        if (options?.Tags is { Count: > 0 } tags)
        {
            var distinct = tags.Distinct(StringComparer.Ordinal).ToArray();
            if (distinct.Length > _options.MaxTagsPerEntry)
            {
                throw new ArgumentException($"An entry may carry at most {_options.MaxTagsPerEntry} tags; {distinct.Length} were given.", nameof(options));
            }

            tagKeys = scopedTags ? Array.ConvertAll(distinct, scope.ScopedTagVersionKey) : Array.ConvertAll(distinct, scope.TagVersionKey);
        }

        var absolute = options?.Expiration;
        var sliding = options?.SlidingExpiration;
        if (absolute is null && sliding is null)
        {
            absolute = _options.DefaultExpiration;
        }

        string[] versionKeys = tagKeys.Length == 0 ? scope.VersionKeys : [.. scope.VersionKeys, .. tagKeys];
        return new EntryPlan(absolute, sliding, tagKeys, versionKeys);
    }

    /// <summary>
    /// Writes an entry stamped with <paramref name="tokens"/> (every level's, then every tag's), or
    /// with the tokens read now when none are given. Returns whether the entry was stored.
    /// </summary>
    public async ValueTask<bool> WriteAsync<T>(
        ScopePath scope, string canonicalKey, string storeKey, T value, EntryPlan plan, ulong[]? tokens, StoreSetMode mode, bool throwIfTooLarge, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter();
        var headerLength = Envelope.HeaderLength(scope.Levels, plan.TagKeys);
        buffer.GetSpan(headerLength);
        buffer.Advance(headerLength);
        var kind = PayloadCodec.Encode(value, _serializer, buffer);

        var total = buffer.WrittenCount;
        var max = MaxEnvelopeBytes;
        if (total > max)
        {
            if (throwIfTooLarge)
            {
                throw new CacheValueTooLargeException(total, max, nameof(value));
            }

            CacheMetrics.SkippedWrite(Application);
            Log.ValueTooLargeSkipped(_logger, total, max, Application);
            return false;
        }

        tokens ??= await EnsureTokensAsync(plan.VersionKeys, cancellationToken).ConfigureAwait(false);
        if (tokens is null)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var (ttl, slidingSeconds, deadline) = plan.Expiry(now);
        Envelope.WriteHeader(
            buffer.WrittenSpan[..headerLength],
            kind,
            canonicalKey,
            slidingSeconds,
            deadline,
            tokens.AsSpan(0, scope.Levels),
            plan.TagKeys,
            tokens.AsSpan(scope.Levels),
            total - headerLength);

        try
        {
            await _store.SetAsync(storeKey, buffer.WrittenMemory, mode, ttl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            StoreFailedOnWrite(ex);
            return false;
        }

        CacheMetrics.Write(Application);
        return true;
    }
}

/// <summary>An entry's resolved expiry and tags.</summary>
internal sealed class EntryPlan
{
    public EntryPlan(TimeSpan? absolute, TimeSpan? sliding, string[] tagKeys, string[] versionKeys)
    {
        Absolute = absolute;
        Sliding = sliding;
        TagKeys = tagKeys;
        VersionKeys = versionKeys;
    }

    public TimeSpan? Absolute { get; }

    public TimeSpan? Sliding { get; }

    /// <summary>The store keys of the tags' version tokens.</summary>
    public string[] TagKeys { get; }

    /// <summary>Every version key the entry is stamped with: the scope's levels, then the tags.</summary>
    public string[] VersionKeys { get; }

    /// <summary>The store TTL, the sliding window in whole seconds, and the absolute deadline (Unix ms, 0 = none: sliding only).</summary>
    public (TimeSpan Ttl, uint SlidingSeconds, long DeadlineUnixMs) Expiry(DateTimeOffset now)
    {
        // The absolute deadline is always stamped and checked on read, so a sliding renewal racing a
        // rewrite of the key can never stretch the new entry's lifetime past its own expiration.
        if (Sliding is not { } sliding)
        {
            return (Absolute!.Value, 0, (now + Absolute.Value).ToUnixTimeMilliseconds());
        }

        var seconds = (uint)Math.Min(uint.MaxValue, Math.Ceiling(sliding.TotalSeconds));
        if (Absolute is not { } absolute)
        {
            return (sliding, seconds, 0);
        }

        return (sliding < absolute ? sliding : absolute, seconds, (now + absolute).ToUnixTimeMilliseconds());
    }
}
