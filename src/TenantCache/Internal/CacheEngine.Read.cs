using System.Buffers;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// One read: the version key of every level and the data key in one batch; a second batch only
    /// for entries that carry tags. When <paramref name="levelTokens"/> is given it receives the
    /// tokens read (0 for missing), for a following write.
    /// </summary>
    public async ValueTask<ReadOutcome<T>> ReadAsync<T>(ScopePath scope, string canonicalKey, string storeKey, ulong[]? levelTokens, CancellationToken cancellationToken)
    {
        var call = BeginCall(cancellationToken);
        try
        {
            return await ReadAsync<T>(scope, canonicalKey, storeKey, levelTokens, call).ConfigureAwait(false);
        }
        finally
        {
            EndCall(call);
        }
    }

    /// <summary>The read, as one step of a public call whose deadline <paramref name="call"/> carries.</summary>
    private ValueTask<ReadOutcome<T>> ReadAsync<T>(ScopePath scope, string canonicalKey, string storeKey, ulong[]? levelTokens, StoreCall call) =>
        ReadAsync<T>(scope, canonicalKey, storeKey, levelTokens, call, default);

    /// <summary>
    /// The read, with what a get-or-create wants beyond a plain read (<paramref name="wants"/>): a lease
    /// request on the data key, and the value of an invalidated or expired entry as a fallback.
    /// </summary>
    private async ValueTask<ReadOutcome<T>> ReadAsync<T>(ScopePath scope, string canonicalKey, string storeKey, ulong[]? levelTokens, StoreCall call, ReadWants wants)
    {
        var levels = scope.Levels;
        var start = _tokens.Begin();
        var tokens = ArrayPool<ulong>.Shared.Rent(levels);
        try
        {
            StoreItem data;
            var copy = _copies is { } copies && copies.TryGet(storeKey, out var copyCas, out var copied) ? (Cas: copyCas, Envelope: copied) : default;
            try
            {
                data = await ResolveTokensAsync(scope.VersionKeys, levels, tokens, storeKey, start, call, copy.Cas, wants).ConfigureAwait(false);
            }
            catch (Exception ex) when (!call.IsCallerCancellation(ex))
            {
                StoreFailedOnRead(StoreOperation.Read, call.Classify(ex));
                return Missed<T>(storeFailed: true);
            }

            var allTokens = true;
            for (var level = 0; level < levels; level++)
            {
                allTokens &= tokens[level] != 0;
                if (levelTokens is not null)
                {
                    levelTokens[level] = tokens[level];
                }
            }

            var fromCopy = data.IsUnchanged && copy.Envelope is not null;
            if (fromCopy)
            {
                data = new StoreItem(copy.Envelope, data.Cas, data.Flags); // the item is the one copied: no value bytes moved
            }
            else if (copy.Envelope is not null)
            {
                _copies!.Remove(storeKey); // gone or rewritten: a new copy is made below if the new entry is a marked hit
            }

            if (!data.Found)
            {
                return Missed<T>(storeFailed: false, dataAbsent: true);
            }

            if ((data.Lease & StoreLeaseState.Won) != 0 && wants.LeaseFor <= TimeSpan.Zero && _store is ILeaseCacheStore unasked)
            {
                // memcached hands the lease of an entry marked stale to any read of it, asked or not: a read
                // that will not recompute gives it back (the dead entry goes), so a waiter takes it at once.
                _ = ReleaseAsync(unasked, storeKey, data.Cas);
            }

            var seen = new DataSeen(data.Cas, data.Lease, data.Flags);
            if (data.Value.Length == 0 && !fromCopy)
            {
                return Missed<T>(seen with { Placeholder = true }); // a lease's placeholder: no entry yet (envelopes are never empty)
            }

            if (!allTokens)
            {
                return Missed<T>(seen with { NeedsRecompute = true }); // I4: a missing token is a miss, never a hit.
            }

            if (!Envelope.TryParse(data.Value, out var view, out var cause))
            {
                Reject(cause, storeKey);
                return Missed<T>(storeFailed: false);
            }

            // A serialized payload's identity includes its type: read as another type, it is a miss. The
            // store key is derived from the key, so a typed mismatch is (all but certainly) the type's.
            var typed = view.Kind == PayloadKind.Serialized;
            if (view.Levels != levels || !view.IdentityMatches(canonicalKey, typed ? TypeIdentity<T>.Suffix : default))
            {
                Reject(typed && view.Levels == levels ? RejectCause.TypeMismatch : RejectCause.IdentityMismatch, storeKey);
                return Missed<T>(storeFailed: false);
            }

            seen = seen with { DeadlineUnixMs = view.DeadlineUnixMs };
            if (!LevelsMatch(view, tokens, levels) && !(wants.LeaseFor > TimeSpan.Zero && await ReusedTokensWereOlderAsync(scope, view, tokens, levelTokens, start, call).ConfigureAwait(false)))
            {
                // Written before an invalidation.
                return Missed<T>(seen with { NeedsRecompute = true }, wants.Stale ? KeepFallback<T>(view, storeKey, FallbackKind.Invalidated) : default);
            }

            var deadline = view.DeadlineUnixMs;
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (deadline != 0 && now >= deadline)
            {
                // Expired; within the call's fail-safe time past its deadline, still the last good value.
                var keep = wants.FailSafeMs > 0 && now - deadline < wants.FailSafeMs
                    && (view.Tags == 0 || await TagsStillValidAsync(view, start, call).ConfigureAwait(false) == TagCheck.Valid); // never an invalidated value
                return Missed<T>(seen with { NeedsRecompute = true }, keep ? KeepFallback<T>(view, storeKey, FallbackKind.Expired) : default);
            }

            if (view.Tags > 0)
            {
                var tags = await TagsStillValidAsync(view, start, call).ConfigureAwait(false);
                if (tags != TagCheck.Valid)
                {
                    // A failed tag read is a store failure like the first batch's: no write follows it.
                    return tags == TagCheck.StoreFailed
                        ? Missed<T>(storeFailed: true)
                        : Missed<T>(seen with { NeedsRecompute = true }, wants.Stale ? KeepFallback<T>(view, storeKey, FallbackKind.Invalidated) : default);
                }
            }

            if (!PayloadCodec.TryDecode<T>(view, _serializer, out var value, out cause))
            {
                Reject(cause, storeKey);
                return Missed<T>(storeFailed: false);
            }

            if (view.SlidingWindow is not null)
            {
                RenewSliding(storeKey, view, now);
            }

            if (fromCopy)
            {
                CacheMetrics.LocalCopyHit(Application);
            }
            else if (_copies is not null && LocalCopies.IsMarked(data.Flags))
            {
                _copies.Put(storeKey, data.Cas, data.Value.Span);
            }

            CacheMetrics.Hit(Application);
            return new ReadOutcome<T>(new CacheResult<T>(value), storeFailed: false) { Extra = seen.Won ? new ReadExtra<T>(seen, default) : null };
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(tokens);
        }
    }

    private ReadOutcome<T> Missed<T>(bool storeFailed, bool dataAbsent = false)
    {
        CacheMetrics.Miss(Application);
        return new ReadOutcome<T>(CacheResult<T>.Miss, storeFailed, dataAbsent);
    }

    /// <summary>A miss on an item that exists (an entry that may not be served, or a lease's placeholder).</summary>
    private ReadOutcome<T> Missed<T>(DataSeen seen, Fallback<T> fallback = default)
    {
        CacheMetrics.Miss(Application);
        return new ReadOutcome<T>(CacheResult<T>.Miss, storeFailed: false) { Extra = new ReadExtra<T>(seen, fallback) };
    }

    /// <summary>An entry's value kept for stale or fail-safe serving; identity and type were checked by the caller.</summary>
    private Fallback<T> KeepFallback<T>(EnvelopeView view, string storeKey, FallbackKind kind)
    {
        if (!PayloadCodec.TryDecode<T>(view, _serializer, out var value, out var cause))
        {
            Reject(cause, storeKey);
            return default;
        }

        return new Fallback<T>(value, kind);
    }

    private async ValueTask<TagCheck> TagsStillValidAsync(EnvelopeView view, ReadStart start, StoreCall call)
    {
        var count = view.Tags;
        var keys = new string[count];
        var stamped = new ulong[count];
        view.ReadTags(keys, stamped);
        var current = new ulong[count];
        try
        {
            await ResolveTokensAsync(keys, count, current, dataKey: null, start, call).ConfigureAwait(false);
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            StoreFailedOnRead(StoreOperation.TagRead, call.Classify(ex));
            return TagCheck.StoreFailed;
        }

        for (var i = 0; i < count; i++)
        {
            if (current[i] == 0 || current[i] != stamped[i])
            {
                return TagCheck.Invalidated;
            }
        }

        return TagCheck.Valid;
    }

    private enum TagCheck
    {
        Valid,
        Invalidated,
        StoreFailed,
    }
}

/// <summary>A read's result; whether the store failed (then no write should follow); whether the data key was absent.</summary>
internal readonly struct ReadOutcome<T>
{
    public ReadOutcome(CacheResult<T> result, bool storeFailed, bool dataAbsent = false)
    {
        Result = result;
        StoreFailed = storeFailed;
        DataAbsent = dataAbsent;
    }

    /// <summary>
    /// The data key did not exist: a following write uses add-if-absent, so a computation that
    /// started before an invalidation cannot overwrite an entry written after it.
    /// </summary>
    public bool DataAbsent { get; }

    public CacheResult<T> Result { get; }

    public bool StoreFailed { get; }

    /// <summary>What the data key's item said (CAS, lease state, flags), when it existed.</summary>
    public DataSeen Seen => Extra?.Seen ?? default;

    /// <summary>The value of an invalidated or expired entry, kept when the read asked for it.</summary>
    public Fallback<T> Fallback => Extra?.Fallback ?? default;

    /// <summary>
    /// What a read learned beyond hit or miss; <see langword="null"/> when there is nothing to say (a plain
    /// hit, a plain miss), so the common result stays small: callers' async frames hold it.
    /// </summary>
    public ReadExtra<T>? Extra { get; init; }
}

/// <summary>The item's CAS and lease state, and a fallback value, of a read that found an item.</summary>
internal sealed record ReadExtra<T>(DataSeen Seen, Fallback<T> Fallback);
