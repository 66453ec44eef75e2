using System.Collections.Concurrent;

namespace TenantCache.Internal;

/// <summary>
/// The version tokens this process knows, and the token fetches it has in flight (docs/design.md,
/// "Token reuse" and "Coalesced token reads"). A read may use a known token fetched less than the
/// usable window before the read began, and may share a fetch issued after it began (or, with a
/// window, one issued less than the window before); anything else it fetches itself.
/// </summary>
internal sealed class TokenTable
{
    private readonly ConcurrentDictionary<string, TokenSlot> _slots = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly long _ownUsableTicks;
    private long _sequence;
    private int _count;
    private long _lastSweep = long.MinValue;

    public TokenTable(TimeProvider time, TimeSpan window, int capacity)
    {
        _time = time;
        Window = window;
        _capacity = capacity;
        _ownUsableTicks = Ticks(TokenRecord.Usable(window, window));
    }

    /// <summary>This process's window (Δ): what it writes into the tokens it creates.</summary>
    public TimeSpan Window { get; }

    /// <summary>Called to send a shared fetch whose turn has come (<see cref="TokenSlot.Next"/>).</summary>
    public Action<string, TokenFlight>? Depart { get; set; }

    /// <summary>Where a read begins: later fetches may be shared with it, earlier ones only within the window.</summary>
    public ReadStart Begin() => new(_time.GetTimestamp(), Interlocked.Increment(ref _sequence));

    /// <summary>
    /// What a read that began at <paramref name="start"/> does about <paramref name="key"/>: uses a known
    /// token (<see cref="TokenRole.Known"/>), waits for <paramref name="flight"/> (<see cref="TokenRole.Join"/>),
    /// or fetches it itself (<see cref="TokenRole.Own"/>; <paramref name="flight"/>, when not null, is its
    /// fetch, to be completed with <see cref="Complete"/>).
    /// </summary>
    public TokenRole Classify(string key, in ReadStart start, out ulong token, out TokenFlight? flight)
    {
        token = 0;
        flight = null;
        var slot = SlotFor(key);
        if (slot is null)
        {
            return TokenRole.Own;
        }

        if (slot.Current is { } known && known.UsableFor(start))
        {
            token = known.Token; // the common case, without the lock: snapshots are immutable
            return TokenRole.Known;
        }

        lock (slot)
        {
            if (slot.Current is { } current && current.UsableFor(start))
            {
                token = current.Token;
                return TokenRole.Known;
            }

            if (slot.InFlight is { } inFlight)
            {
                if (inFlight.UsableFor(start, slot.UsableTicks(_ownUsableTicks)))
                {
                    flight = inFlight;
                }
                else
                {
                    // Issued before this read began: wait for the next departure, at most one in flight per key.
                    flight = slot.Next ??= new TokenFlight(slot);
                }

                return TokenRole.Join;
            }

            flight = new TokenFlight(slot);
            flight.Issue(_time.GetTimestamp(), Interlocked.Increment(ref _sequence));
            slot.InFlight = flight;
            return TokenRole.Own;
        }
    }

    /// <summary>A token usable by a read that began at <paramref name="start"/>, without fetching or joining anything.</summary>
    public bool TryKnown(string key, in ReadStart start, out ulong token)
    {
        token = 0;
        if (!_slots.TryGetValue(key, out var slot))
        {
            return false;
        }

        if (slot.Current is { } current && current.UsableFor(start))
        {
            token = current.Token;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A fetch of <paramref name="key"/> that no read joins (a re-read past the window), sent now: completing it
    /// records what it saw like any fetch, so later reads may reuse it.
    /// </summary>
    public TokenFlight Detached(string key)
    {
        var flight = new TokenFlight(SlotFor(key));
        flight.Issue(_time.GetTimestamp(), Interlocked.Increment(ref _sequence));
        return flight;
    }

    /// <summary>
    /// Whether <paramref name="token"/> is as fresh as this process can know for <paramref name="key"/>: sent for
    /// after <paramref name="start"/> (by that read or one it joined), or not followed here at all (then the read
    /// fetched it itself). False when it was reused from the window or the table has seen another token since.
    /// </summary>
    public bool FetchedSince(string key, in ReadStart start, ulong token) =>
        !_slots.TryGetValue(key, out var slot) || slot.Current is not { } current || (current.Token == token && current.Sequence > start.Sequence);

    /// <summary>The last token seen for <paramref name="key"/>, however old: a guess to stamp a write with while its tokens are read.</summary>
    public bool TryLatest(string key, out ulong token)
    {
        token = 0;
        if (_slots.TryGetValue(key, out var slot))
        {
            token = slot.Current?.Token ?? 0;
        }

        return token != 0;
    }

    /// <summary>
    /// Records what a fetch of <paramref name="key"/> returned (or that it failed), hands it to the
    /// callers waiting for it, and sends the next fetch if callers are waiting for one.
    /// </summary>
    public void Complete(string key, TokenFlight flight, ulong token, uint flags, Exception? failure)
    {
        TokenFlight? depart = null;
        if (flight.Slot is { } slot)
        {
            lock (slot)
            {
                if (failure is null)
                {
                    slot.Observe(new TokenSnapshot(token, flight.IssuedAt, flight.Sequence, UsableTicks(flags)));
                }

                if (ReferenceEquals(slot.InFlight, flight))
                {
                    slot.InFlight = null;
                    if (slot.Next is { } next)
                    {
                        slot.Next = null;
                        next.Issue(_time.GetTimestamp(), Interlocked.Increment(ref _sequence));
                        slot.InFlight = depart = next;
                    }
                }
            }
        }

        flight.Finish(token, flags, failure);
        if (depart is not null)
        {
            Depart?.Invoke(key, depart);
        }
    }

    /// <summary>
    /// Records a token this process read or wrote outside a flight (token creation, an invalidation's
    /// new token), sent at <paramref name="issued"/>.
    /// </summary>
    public void Observe(string key, ulong token, uint flags, in ReadStart issued)
    {
        if (SlotFor(key) is { } slot)
        {
            lock (slot)
            {
                slot.Observe(new TokenSnapshot(token, issued.Timestamp, issued.Sequence, UsableTicks(flags)));
            }
        }
    }

    /// <summary>Whether a fetched token may serve a read that began at <paramref name="start"/>.</summary>
    public bool UsableFor(TokenFlight flight, in ReadStart start) =>
        flight.UsableFor(start, UsableTicks(flight.Flags));

    /// <summary>How long (timestamp ticks) this process may reuse a token with these flags.</summary>
    private long UsableTicks(uint flags) => Ticks(TokenRecord.Usable(Window, TokenRecord.Reuse(flags)));

    private long Ticks(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (long)((Int128)span.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private TokenSlot? SlotFor(string key)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            return slot;
        }

        if (Volatile.Read(ref _count) >= _capacity && !Sweep())
        {
            return null; // full of live tokens: this key is read every time, as without a window
        }

        var fresh = new TokenSlot();
        if (_slots.TryAdd(key, fresh))
        {
            Interlocked.Increment(ref _count);
            return fresh;
        }

        return _slots.TryGetValue(key, out slot) ? slot : null;
    }

    /// <summary>
    /// Drops idle slots whose token can no longer be reused; true when room was made. At most once a
    /// second: with more live keys than slots, the keys without one are simply read every time.
    /// </summary>
    private bool Sweep()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if ((last != long.MinValue && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1)) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return false;
        }

        var start = Begin();
        foreach (var (key, slot) in _slots)
        {
            bool idle;
            lock (slot)
            {
                idle = slot.InFlight is null && slot.Next is null && (slot.Current is not { } current || !current.UsableFor(start));
            }

            if (idle && _slots.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        return Volatile.Read(ref _count) < _capacity;
    }
}

/// <summary>When a read began: a timestamp (for the window) and a sequence number (for "sent after").</summary>
internal readonly record struct ReadStart(long Timestamp, long Sequence);

/// <summary>How a read gets one token.</summary>
internal enum TokenRole
{
    Known,
    Join,
    Own,
}
