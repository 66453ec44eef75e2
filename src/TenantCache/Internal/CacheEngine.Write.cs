using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Validates and resolves an entry's options once, before anything is computed or sent. Tags are the
    /// application's, or with <paramref name="scopedTags"/> private to <paramref name="scope"/>. Too many
    /// tags throw <see cref="ArgumentException"/> naming <paramref name="tagsParameter"/> (an adapter
    /// whose caller passes the tags apart, as HybridCache's does, names its own parameter).
    /// </summary>
    public EntryPlan Plan(ScopePath scope, CacheEntryOptions? options, bool scopedTags = false, string tagsParameter = "options")
    {
        string[] tagKeys = [];
        if (options?.Tags is { Count: > 0 } tags)
        {
            var distinct = tags.Distinct(StringComparer.Ordinal).ToArray();
            if (distinct.Length > _options.MaxTagsPerEntry)
            {
                throw new ArgumentException($"An entry may carry at most {_options.MaxTagsPerEntry} tags; {distinct.Length} were given.", tagsParameter);
            }

            tagKeys = scopedTags ? Array.ConvertAll(distinct, scope.ScopedTagVersionKey) : Array.ConvertAll(distinct, scope.TagVersionKey);
        }

        var absolute = options?.Expiration;
        var sliding = options?.SlidingExpiration;
        var at = options?.AbsoluteExpiration;
        if (at is { } deadline && deadline <= _time.GetUtcNow())
        {
#pragma warning disable CA2208 // the name of the option at fault, as Microsoft's IDistributedCache implementations report it
            throw new ArgumentOutOfRangeException(nameof(CacheEntryOptions.AbsoluteExpiration), deadline, "The absolute expiration value must be in the future.");
#pragma warning restore CA2208
        }

        if (absolute is null && sliding is null && at is null)
        {
            absolute = _options.DefaultExpiration;
        }

        string[] versionKeys = tagKeys.Length == 0 ? scope.VersionKeys : [.. scope.VersionKeys, .. tagKeys];
        return new EntryPlan(absolute, at, sliding, tagKeys, versionKeys);
    }

    /// <summary>
    /// Writes an entry stamped with <paramref name="tokens"/> (every level's, then every tag's), or
    /// with the tokens read now when none are given. Returns whether the entry was stored.
    /// <paramref name="encoded"/>, when given, receives the payload as soon as it is encoded, whatever follows.
    /// </summary>
    public async ValueTask<bool> WriteAsync<T>(
        ScopePath scope, string canonicalKey, string storeKey, T value, EntryPlan plan, ulong[]? tokens, StoreSetMode mode, bool throwIfTooLarge, IEncodedPayloadSink? encoded, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter();
        var headerLength = Envelope.HeaderLength(scope.Levels, plan.TagKeys);
        buffer.GetSpan(headerLength);
        buffer.Advance(headerLength);
        var kind = PayloadCodec.Encode(value, _serializer, buffer);
        encoded?.Accept(kind, buffer.WrittenSpan[headerLength..]);

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
        var (ttl, slidingCode, deadline) = plan.Expiry(now);
        Envelope.WriteHeader(
            buffer.WrittenSpan[..headerLength],
            kind,
            canonicalKey,
            slidingCode,
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
    public EntryPlan(TimeSpan? absolute, DateTimeOffset? absoluteAt, TimeSpan? sliding, string[] tagKeys, string[] versionKeys)
    {
        Absolute = absolute;
        AbsoluteAt = absoluteAt;
        Sliding = sliding;
        TagKeys = tagKeys;
        VersionKeys = versionKeys;
    }

    /// <summary>Time to live from the write.</summary>
    public TimeSpan? Absolute { get; }

    /// <summary>A fixed deadline; with <see cref="Absolute"/>, the earlier wins.</summary>
    public DateTimeOffset? AbsoluteAt { get; }

    public TimeSpan? Sliding { get; }

    /// <summary>The store keys of the tags' version tokens.</summary>
    public string[] TagKeys { get; }

    /// <summary>Every version key the entry is stamped with: the scope's levels, then the tags.</summary>
    public string[] VersionKeys { get; }

    /// <summary>
    /// The store TTL, the envelope's sliding field (<see cref="SlidingCode"/>, milliseconds) and the
    /// absolute deadline (Unix ms, 0 = none: sliding only). A deadline already reached gives a zero
    /// TTL: the write then replaces any older value with nothing readable.
    /// </summary>
    public (TimeSpan Ttl, uint SlidingCode, long DeadlineUnixMs) Expiry(DateTimeOffset now)
    {
        // The absolute deadline is always stamped and checked on read, so a sliding renewal racing a
        // rewrite of the key can never stretch the new entry's lifetime past its own expiration.
        DateTimeOffset? deadline = Absolute is { } ttl ? AddSaturating(now, ttl) : null;
        if (AbsoluteAt is { } at && (deadline is null || at < deadline))
        {
            deadline = at;
        }

        var slidingCode = SlidingCode.Encode(Sliding);
        if (deadline is not { } end)
        {
            return (Sliding!.Value, slidingCode, 0);
        }

        var left = end > now ? end - now : TimeSpan.Zero;
        var storeTtl = Sliding is { } sliding && sliding < left ? sliding : left;
        return (storeTtl, slidingCode, end.ToUnixTimeMilliseconds());
    }

    private static DateTimeOffset AddSaturating(DateTimeOffset now, TimeSpan ttl) =>
        ttl >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + ttl;
}
