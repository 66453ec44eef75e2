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

        var versionKeys = tagKeys.Length == 0 ? scope.VersionKeys : [.. scope.VersionKeys, .. tagKeys];
        return new EntryPlan(absolute, at, sliding, tagKeys, versionKeys, options?.LocalCopy ?? _options.LocalCopy.Enabled)
        {
            StaleFor = options?.StaleFor,
            FailSafeFor = sliding is null ? options?.FailSafeFor : null,
            EarlyRefresh = options?.EarlyRefresh,
            SoftTimeout = options?.FactorySoftTimeout,
            HardTimeout = options?.FactoryHardTimeout,
        };
    }

    /// <summary>
    /// Writes an entry stamped with <paramref name="tokens"/> (every level's, then every tag's), or
    /// with the tokens read now when none are given. Returns whether the entry was stored.
    /// <paramref name="encoded"/>, when given, receives the payload as soon as it is encoded, whatever follows.
    /// With <paramref name="throwIfTooLarge"/> (an explicit set: the caller handed over the value), a value
    /// over the limit throws <see cref="CacheValueTooLargeException"/> and a serializer failure is rethrown;
    /// without it (the value came from a factory) both are logged and the write is skipped.
    /// </summary>
    public async ValueTask<bool> WriteAsync<T>(
        ScopePath scope, string canonicalKey, string storeKey, T value, EntryPlan plan, ulong[]? tokens, StoreSetMode mode, bool throwIfTooLarge, IEncodedPayloadSink? encoded, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            return await WriteAsync(scope, canonicalKey, storeKey, value, plan, tokens, mode, throwIfTooLarge, encoded, call).ConfigureAwait(false);
        }
        finally
        {
            EndCall(call);
        }
    }

    /// <summary>
    /// The write, as one step of a public call. With <paramref name="leaseCas"/> (a recompute lease's CAS) it
    /// replaces the item only if it still has that CAS, else only adds it if it is gone: a write-back never
    /// replaces a newer entry.
    /// </summary>
    private async ValueTask<bool> WriteAsync<T>(
        ScopePath scope, string canonicalKey, string storeKey, T value, EntryPlan plan, ulong[]? tokens, StoreSetMode mode, bool throwIfTooLarge, IEncodedPayloadSink? encoded, StoreCall call, ulong leaseCas = 0)
    {
        using var buffer = new PooledBufferWriter();
        var headerLength = Envelope.HeaderLength(scope.Levels, plan.TagKeys);
        buffer.GetSpan(headerLength);
        buffer.Advance(headerLength);
        if (!TryEncode(value, buffer, throwIfTooLarge, encoded, out var kind))
        {
            return false;
        }

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

        // Resolved before the store is touched: nothing after the first store step can throw but the store.
        var (ttl, slidingCode, deadline) = plan.Expiry(_time.GetUtcNow());
        ulong[]? guess = null;
        if (tokens is null)
        {
            tokens = KnownTokens(plan.VersionKeys, mode, out guess);
            if (tokens is null && guess is null)
            {
                tokens = await EnsureTokensAsync(plan.VersionKeys, call).ConfigureAwait(false);
                if (tokens is null)
                {
                    return false;
                }
            }
        }

        var stamp = new Stamp(buffer, headerLength, kind, canonicalKey, slidingCode, deadline, scope.Levels, plan.TagKeys, kind == PayloadKind.Serialized ? TypeIdentity<T>.Suffix : null);
        StoreSetResult result;
        try
        {
            if (guess is null)
            {
                result = leaseCas != 0 && _leaseStore is { } leaseStore
                    ? await call.Watch(WriteBackAsync(leaseStore, storeKey, stamp.With(tokens!), ttl, EntryFlags.Of(plan), leaseCas, call.Token)).ConfigureAwait(false)
                    : await call.Watch(StoreData(storeKey, stamp.With(tokens!), mode, ttl, plan, call.Token)).ConfigureAwait(false);
            }
            else
            {
                // One round trip: the write stamped with the last tokens seen, and a read of them beside it.
                var write = StoreData(storeKey, stamp.With(guess), mode, ttl, plan, call.Token).AsTask();
                var current = await EnsureTokensAsync(plan.VersionKeys, call).ConfigureAwait(false);
                result = await call.Watch(write).ConfigureAwait(false);
                if (current is not null && !current.AsSpan().SequenceEqual(guess))
                {
                    CacheMetrics.WriteRestamped(Application);
                    result = await call.Watch(StoreData(storeKey, stamp.With(current), mode, ttl, plan, call.Token)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            StoreFailedOnWrite(StoreOperation.Write, call.Classify(ex));
            return false;
        }

        if (result != StoreSetResult.Stored)
        {
            return false; // a lost add: someone else wrote the key first; not a write of ours
        }

        CacheMetrics.Write(Application);
        return true;
    }

    /// <summary>Writes an entry's envelope, with its flags (in-process copies, stale time) when it has any and the store keeps flags.</summary>
    private ValueTask<StoreSetResult> StoreData(string storeKey, ReadOnlyMemory<byte> envelope, StoreSetMode mode, TimeSpan? ttl, EntryPlan plan, CancellationToken cancellationToken) =>
        EntryFlags.Of(plan) is var flags and not 0 && (_casStore ?? _leaseStore) is { } casStore
            ? casStore.SetAsync(storeKey, envelope, mode, ttl, flags, cas: 0, cancellationToken)
            : _store.SetAsync(storeKey, envelope, mode, ttl, cancellationToken);

    /// <summary>A lease holder's write: over the leased item (same CAS), or, if that is gone, only where nothing is.</summary>
    private static async ValueTask<StoreSetResult> WriteBackAsync(ILeaseCacheStore store, string storeKey, ReadOnlyMemory<byte> envelope, TimeSpan? ttl, uint flags, ulong cas, CancellationToken cancellationToken)
    {
        var result = await store.SetAsync(storeKey, envelope, StoreSetMode.Set, ttl, flags, cas, cancellationToken).ConfigureAwait(false);
        return result == StoreSetResult.Conflict
            ? await store.SetAsync(storeKey, envelope, StoreSetMode.Add, ttl, flags, cas: 0, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>
    /// The tokens to stamp a write with when the caller has none: all known inside the window (no
    /// read needed), else, for a plain set, the last seen of each as <paramref name="guess"/> (written
    /// while they are read, and rewritten only if they changed), else <see langword="null"/> (read first).
    /// </summary>
    private ulong[]? KnownTokens(string[] versionKeys, StoreSetMode mode, out ulong[]? guess)
    {
        guess = null;
        var start = _tokens.Begin();
        var tokens = new ulong[versionKeys.Length];
        var fresh = true;
        for (var i = 0; i < versionKeys.Length; i++)
        {
            if (_tokens.TryKnown(versionKeys[i], start, out tokens[i]))
            {
                continue;
            }

            fresh = false;
            if (mode != StoreSetMode.Set || !_tokens.TryLatest(versionKeys[i], out tokens[i]))
            {
                return null;
            }
        }

        if (fresh)
        {
            return tokens;
        }

        guess = tokens;
        return null;
    }

    /// <summary>
    /// Encodes the payload; a serializer that throws (a cycle, an unsupported type) is rethrown for an
    /// explicit set, else logged, counted as a skipped write and reported to <paramref name="encoded"/>.
    /// </summary>
    private bool TryEncode<T>(T value, PooledBufferWriter buffer, bool rethrow, IEncodedPayloadSink? encoded, out PayloadKind kind)
    {
        try
        {
            kind = PayloadCodec.Encode(value, _serializer, buffer);
            return true;
        }
        catch (Exception ex) when (!rethrow)
        {
            kind = default;
            CacheMetrics.SkippedWrite(Application);
            Log.SerializationFailed(_logger, Application, ex);
            encoded?.NotEncoded();
            return false;
        }
    }
}

/// <summary>An encoded entry waiting for its header: <see cref="With"/> stamps it with a set of tokens (levels, then tags).</summary>
internal readonly struct Stamp
{
    private readonly PooledBufferWriter _buffer;
    private readonly int _headerLength;
    private readonly PayloadKind _kind;
    private readonly string _identity;
    private readonly uint _slidingCode;
    private readonly long _deadline;
    private readonly int _levels;
    private readonly string[] _tagKeys;
    private readonly byte[]? _type;

    public Stamp(PooledBufferWriter buffer, int headerLength, PayloadKind kind, string identity, uint slidingCode, long deadline, int levels, string[] tagKeys, byte[]? type)
    {
        _buffer = buffer;
        _headerLength = headerLength;
        _kind = kind;
        _identity = identity;
        _slidingCode = slidingCode;
        _deadline = deadline;
        _levels = levels;
        _tagKeys = tagKeys;
        _type = type;
    }

    /// <summary>Writes the header for <paramref name="tokens"/> over the previous one; the whole envelope.</summary>
    public ReadOnlyMemory<byte> With(ulong[] tokens)
    {
        Envelope.WriteHeader(
            _buffer.WrittenSpan[.._headerLength],
            _kind,
            _identity,
            _slidingCode,
            _deadline,
            tokens.AsSpan(0, _levels),
            _tagKeys,
            tokens.AsSpan(_levels),
            _buffer.WrittenCount - _headerLength,
            _type);
        return _buffer.WrittenMemory;
    }
}
