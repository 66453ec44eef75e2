namespace TenantCache.Internal;

/// <summary>One version key's state in a <see cref="TokenTable"/>; guarded by locking the slot.</summary>
internal sealed class TokenSlot
{
    private TokenSnapshot? _current;

    /// <summary>The most recently sent fetch's answer (none when the key was missing or unreadable); read without the lock.</summary>
    public TokenSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>The fetch in flight, if any: at most one per key.</summary>
    public TokenFlight? InFlight { get; set; }

    /// <summary>A fetch not sent yet, for reads that began after <see cref="InFlight"/> was sent; it departs when that one lands.</summary>
    public TokenFlight? Next { get; set; }

    /// <summary>The window (timestamp ticks) a fetch in flight will be usable for: that of the last token seen, else this process's.</summary>
    public long UsableTicks(long own) => Current?.UsableTicks ?? own;

    /// <summary>Keeps <paramref name="snapshot"/> if it was sent after the one known.</summary>
    public void Observe(TokenSnapshot snapshot)
    {
        if (Current is { } current && current.Sequence >= snapshot.Sequence)
        {
            return;
        }

        Volatile.Write(ref _current, snapshot.Token == 0 ? null : snapshot); // a missing token is never reused (I4)
    }
}

/// <summary>A token as a fetch sent at <see cref="IssuedAt"/> saw it, and for how long it may serve reads.</summary>
internal sealed record TokenSnapshot(ulong Token, long IssuedAt, long Sequence, long UsableTicks)
{
    /// <summary>Sent after <paramref name="start"/>, or less than the usable window before it.</summary>
    public bool UsableFor(in ReadStart start) =>
        Sequence > start.Sequence || (UsableTicks > 0 && IssuedAt > start.Timestamp - UsableTicks);
}

/// <summary>One fetch of a version key, shared by the reads that may use it.</summary>
internal sealed class TokenFlight
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TokenFlight(TokenSlot? slot) => Slot = slot;

    public TokenSlot? Slot { get; }

    /// <summary>When it was sent (a timestamp); <see cref="long.MaxValue"/> until then.</summary>
    public long IssuedAt { get; private set; } = long.MaxValue;

    /// <summary>Its place in the table's sequence: a read that began before it may always share it.</summary>
    public long Sequence { get; private set; } = long.MaxValue;

    public ulong Token { get; private set; }

    public uint Flags { get; private set; }

    /// <summary>Completes when the fetch landed; faults with the store's exception when it failed.</summary>
    public Task Done => _done.Task;

    public void Issue(long timestamp, long sequence)
    {
        IssuedAt = timestamp;
        Sequence = sequence;
    }

    /// <summary>Sent after <paramref name="start"/>, or less than <paramref name="usableTicks"/> before it.</summary>
    public bool UsableFor(in ReadStart start, long usableTicks) =>
        Sequence > start.Sequence || (usableTicks > 0 && IssuedAt > start.Timestamp - usableTicks);

    public void Finish(ulong token, uint flags, Exception? failure)
    {
        Token = token;
        Flags = flags;
        if (failure is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(failure);
        }
    }
}
