namespace TenantCache.Cli.Check;

// What a get-or-create records beyond a read: its options, its outcome, and when its value reached the store.
internal sealed partial class Operation
{
    private long _dataWrittenAt;

    /// <summary>Get-or-create: where its value came from (<see cref="GetOrCreateOutcome"/>); <see langword="null"/> for other kinds.</summary>
    public GetOrCreateOutcome? Outcome { get; set; }

    /// <summary>Get-or-create: the call's <see cref="CacheEntryOptions.StaleFor"/>.</summary>
    public TimeSpan? StaleFor { get; set; }

    /// <summary>Get-or-create: the call's <see cref="CacheEntryOptions.FailSafeFor"/>.</summary>
    public TimeSpan? FailSafeFor { get; set; }

    /// <summary>Get-or-create: the call's <see cref="CacheEntryOptions.FactoryHardTimeout"/>.</summary>
    public TimeSpan? HardTimeout { get; set; }

    /// <summary>Get-or-create: when its own factory ended (returned, threw or was abandoned); 0 when it did not run or has not ended.</summary>
    public long FactoryEnd { get; set; }

    /// <summary>Writes: the entry's time to live (<see cref="CacheEntryOptions.Expiration"/>); zero when unknown (hand-built histories: never expires).</summary>
    public TimeSpan Lifetime { get; set; }

    /// <summary>Whether the operation's process takes recompute leases (its reads can mark an invalidated entry stale).</summary>
    public bool Leased { get; set; }

    /// <summary>Get-or-create: this call took a lease over from a holder that did not write back (<c>tenantcache.leases.takeovers</c>).</summary>
    public bool TookOver { get; set; }

    /// <summary>Get-or-create: it threw what its own factory threw on purpose (<see cref="CheckFactoryException"/>) or its factory's timeout.</summary>
    public bool ErrorExpected { get; set; }

    /// <summary>
    /// When the last data write this operation made was acknowledged by the store (0: none). A get-or-create
    /// may write back after it returned (a stale value served, a soft timeout): then this is after <see cref="End"/>.
    /// </summary>
    public long DataWrittenAt
    {
        get => Volatile.Read(ref _dataWrittenAt);
        set => Volatile.Write(ref _dataWrittenAt, value);
    }

    /// <summary>A data write of this operation failed: it may still have landed, at any time (a paused node executes it when it continues).</summary>
    public bool DataWriteUnknown { get; set; }

    /// <summary>Until when this operation may have changed the stored entry: its end, or its write-back's when that came later.</summary>
    public long WriteEnd => Math.Max(End, DataWrittenAt);

    /// <summary>
    /// When the value it produced was certainly in the store, if it was stored: a set's end, a get-or-create's
    /// acknowledged write-back; <see cref="long.MaxValue"/> when unknown (a failed write may land later).
    /// </summary>
    public long StoredBy => Kind == OpKind.Set
        ? (StoreErrors > 0 || Status != OpStatus.Ok ? long.MaxValue : End)
        : (DataWriteUnknown || DataWrittenAt == 0 ? long.MaxValue : DataWrittenAt);

    /// <summary>Records an acknowledged data write at <paramref name="timestamp"/> (the latest wins).</summary>
    public void DataWritten(long timestamp)
    {
        long seen;
        while ((seen = Volatile.Read(ref _dataWrittenAt)) < timestamp && Interlocked.CompareExchange(ref _dataWrittenAt, timestamp, seen) != seen)
        {
        }
    }
}
