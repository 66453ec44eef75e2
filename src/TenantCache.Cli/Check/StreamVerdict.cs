namespace TenantCache.Cli.Check;

/// <summary>
/// The <c>--no-judge</c> mode: no history is kept, so memory reflects the cache, not the checker.
/// Each operation is counted and judged alone as it ends: I5 (gets, sets and get-or-creates never
/// throw; invalidations and removals throw only <see cref="CacheInvalidationException"/>) and the
/// part of I2 that needs no history (a returned value decodes, its checksum holds, it names the entry
/// asked for). I1 and I3 need the history and are not judged.
/// </summary>
internal sealed class StreamVerdict
{
    private readonly Lock _lock = new();
    private long _ops;
    private long _reads;
    private long _hits;
    private long _invalidations;
    private long _failedInvalidations;
    private long _factoryCalls;
    private long _nextId;
    private long _unserved;
    private readonly long[] _byKind = new long[Enum.GetValues<OpKind>().Length];

    public StreamVerdict(int keep) => Verdict = new Verdict(keep);

    public Verdict Verdict { get; }

    public long Ops => Interlocked.Read(ref _ops);

    /// <summary>Counts and judges one finished operation; the caller then forgets it.</summary>
    public void Record(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        Interlocked.Increment(ref _ops);
        Interlocked.Increment(ref _byKind[(int)op.Kind]);
        switch (op.Kind)
        {
            case OpKind.InvalidateScope or OpKind.InvalidateTag:
                Interlocked.Increment(ref _invalidations);
                break;
            case OpKind.GetOrCreate when op.FactoryRan:
                Interlocked.Increment(ref _factoryCalls);
                break;
        }

        if (CheckSummary.IsUnserved(op))
        {
            Interlocked.Increment(ref _unserved);
        }

        if (op.Status == OpStatus.Threw && op.Kind is OpKind.InvalidateScope or OpKind.InvalidateTag or OpKind.Remove)
        {
            Interlocked.Increment(ref _failedInvalidations);
        }

        Violation? violation = null;
        if (op.Status == OpStatus.Threw)
        {
            if (op.Kind == OpKind.GetOrCreate && op.ErrorExpected)
            {
                // Its factory failed or timed out on purpose: rethrown by design, not a store failure.
            }
            else if (op.Kind is OpKind.Get or OpKind.Set or OpKind.GetOrCreate)
            {
                violation = new Violation("I5", $"{op.Kind} threw (reads and writes must fail open): {op.Error}", [op]);
            }
            else if (!op.ErrorTyped)
            {
                violation = new Violation("I5", $"{op.Kind} failed with an exception other than CacheInvalidationException: {op.Error}", [op]);
            }
        }
        else if (op.IsRead && op.Status == OpStatus.Ok)
        {
            Interlocked.Increment(ref _reads);
            if (op.Hit)
            {
                Interlocked.Increment(ref _hits);
            }

            if (op.ReturnedValue && op.RawValue is not null)
            {
                violation = new Violation("I2", $"{op.Kind} of {op.Entry} returned a value that does not verify: \"{op.RawValue}\"", [op]);
            }
        }

        if (violation is not null)
        {
            lock (_lock)
            {
                op.Id = ++_nextId;
                Verdict.Add(violation);
            }
        }
    }

    public CheckSummary Summary(long faults, OperationLogger logger, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(logger);
        lock (_lock)
        {
            Verdict.Reads = _reads;
            Verdict.Hits = _hits;
        }

        return new CheckSummary
        {
            Ops = Ops,
            Reads = _reads,
            Hits = _hits,
            Invalidations = _invalidations,
            Faults = faults,
            Violations = Verdict.ViolationCount,
            Elapsed = elapsed,
            ByKind = Enum.GetValues<OpKind>().ToDictionary(k => k, k => Interlocked.Read(ref _byKind[(int)k])),
            FactoryCalls = _factoryCalls,
            FailedInvalidations = _failedInvalidations,
            StoreErrors = logger.StoreErrors,
            Rejections = logger.Rejections,
            Unserved = Interlocked.Read(ref _unserved),
        };
    }
}
