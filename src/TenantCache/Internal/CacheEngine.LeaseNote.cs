using System.Buffers.Binary;
using TenantCache.Stores;

namespace TenantCache.Internal;

internal sealed partial class CacheEngine
{
    /// <summary>
    /// Tells the fleet which generation a lease was won for. The store's lease (a placeholder, or an entry
    /// marked stale) says only that someone computes the key, not for which tokens; so the holder writes a
    /// small note beside it — the lease item's CAS and the scope tokens it will stamp its value with — that
    /// lives as long as a lease. Sent in the background while the factory runs: it costs the holder no wait.
    /// </summary>
    private void PublishLeaseNote<T>(EntryCall<T> entry, ulong leaseCas, ulong[] tokens)
    {
        var levels = entry.Scope.Levels;
        var note = new byte[8 * (1 + levels)];
        BinaryPrimitives.WriteUInt64LittleEndian(note, leaseCas);
        for (var i = 0; i < levels; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(note.AsSpan(8 * (i + 1)), tokens[i]);
        }

        _ = WriteLeaseNoteAsync(entry.NoteKey, note);
    }

    private async Task WriteLeaseNoteAsync(string noteKey, byte[] note)
    {
        try
        {
            using var deadline = new CancellationTokenSource(BackgroundTimeout, _time);
            await _store.SetAsync(noteKey, note, StoreSetMode.Set, _options.Leases.Duration, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CacheStoreException or OperationCanceledException)
        {
            // No note: waiters of a newer generation wait for this holder, then take over (as before notes).
        }
    }

    /// <summary>
    /// Whether the lease on the item a waiter saw (its <paramref name="leaseCas"/>) was won for other scope
    /// tokens than the ones the waiter just read: then its holder computes a generation an invalidation has
    /// already replaced, and waiting for it would only delay this caller. Unknown (no note yet, a note of
    /// another lease, a token missing, a store failure) reads as no. A lease already seen to be of the
    /// waiter's generation (<paramref name="confirmed"/>, updated here) is not read again.
    /// </summary>
    private async ValueTask<bool> LeaseSupersededAsync<T>(EntryCall<T> entry, ulong leaseCas, ulong[] levelTokens, LeaseConfirmation confirmed, StoreCall call)
    {
        var levels = entry.Scope.Levels;
        if (leaseCas == 0 || levelTokens.Length < levels || Array.IndexOf(levelTokens, 0UL, 0, levels) >= 0 || confirmed.Covers(leaseCas, levelTokens, levels))
        {
            return false;
        }

        var items = new StoreItem[1];
        try
        {
            await call.Watch(_store.GetManyAsync(new[] { entry.NoteKey }, items, call.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (!call.IsCallerCancellation(ex))
        {
            return false;
        }

        var note = items[0].Value.Span;
        if (!items[0].Found || note.Length != 8 * (1 + levels) || BinaryPrimitives.ReadUInt64LittleEndian(note) != leaseCas)
        {
            return false;
        }

        if (NoteMatches(note, levelTokens, levels))
        {
            confirmed.Set(leaseCas, levelTokens, levels);
            return false;
        }

        // The waiter's tokens may be the older ones (reused from its window while the holder read the new
        // ones): superseded only if the tokens as they are now differ from the note's too.
        var fresh = await FreshLevelTokensAsync(entry.Scope, call).ConfigureAwait(false);
        if (fresh is null || NoteMatches(items[0].Value.Span, fresh, levels))
        {
            confirmed.Set(leaseCas, levelTokens, levels); // the holder's generation is the current one: wait for it
            return false;
        }

        Array.Copy(fresh, levelTokens, levels); // the takeover computes for the tokens as they are now
        return true;
    }

    private static bool NoteMatches(ReadOnlySpan<byte> note, ulong[] levelTokens, int levels)
    {
        for (var i = 0; i < levels; i++)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(note[(8 * (i + 1))..]) != levelTokens[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The lease a waiter last found to be of its own generation (its item's CAS and the scope tokens).</summary>
internal sealed class LeaseConfirmation
{
    private ulong _cas;
    private ulong[] _tokens = [];

    public bool Covers(ulong cas, ulong[] tokens, int levels) =>
        cas == _cas && _tokens.Length == levels && tokens.AsSpan(0, levels).SequenceEqual(_tokens);

    public void Set(ulong cas, ulong[] tokens, int levels)
    {
        _cas = cas;
        _tokens = tokens[..levels];
    }
}
