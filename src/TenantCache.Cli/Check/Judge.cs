using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>One broken invariant, with the operations that prove it.</summary>
/// <param name="Invariant">"I1", "I2", "I3" or "I5".</param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <param name="Evidence">The read (or failing operation) first, then the writes and invalidations that make it a violation.</param>
internal sealed record Violation(string Invariant, string Message, IReadOnlyList<Operation> Evidence);

/// <summary>What the judge found in a history.</summary>
internal sealed class Verdict
{
    private readonly List<Violation> _kept = [];
    private readonly Dictionary<string, int> _byInvariant = new(StringComparer.Ordinal);

    public Verdict(int keep) => Keep = keep;

    /// <summary>How many violations are kept with their evidence; the rest are only counted.</summary>
    public int Keep { get; }

    /// <summary>Reads judged: gets and get-or-creates that returned.</summary>
    public long Reads { get; internal set; }

    /// <summary>Reads that returned a value not computed by their own call (get hits, get-or-create without a factory call).</summary>
    public long Hits { get; internal set; }

    /// <summary>Reads that met every condition of I3, so had to be hits.</summary>
    public long LocalityChecked { get; internal set; }

    /// <summary>Whether I3 was judged at all.</summary>
    public bool LocalityJudged { get; internal set; }

    public long ViolationCount { get; private set; }

    public IReadOnlyList<Violation> Violations => _kept;

    public IReadOnlyDictionary<string, int> ByInvariant => _byInvariant;

    internal void Add(Violation violation)
    {
        ViolationCount++;
        _byInvariant[violation.Invariant] = _byInvariant.GetValueOrDefault(violation.Invariant) + 1;
        if (_kept.Count < Keep)
        {
            _kept.Add(violation);
        }
    }
}

/// <summary>
/// Judges a recorded <see cref="History"/> against the invariants of DESIGN.md. Every rule flags only
/// what the real-time order makes certain: operations that overlap may be ordered either way, a
/// failed invalidation may or may not have happened, and an unfinished one never ended.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>I2</b> every value returned decodes, its checksum holds, it names the (application, scope,
/// key) asked for, and it is the value of a write of this run made for that entry.</item>
/// <item><b>I1</b> a read that started after an invalidation of an enclosing scope, or of a tag the
/// value's write carried, returned must not return a value whose tokens were certainly read before
/// that invalidation started: a set that finished before it started, or a get-or-create whose factory
/// started before it started. Likewise a read that started after a removal of its key returned must
/// not return a value whose write finished before that removal started.</item>
/// <item><b>I3</b> (only when <c>checkLocality</c>: no faults, no eviction, no expiry) a read of a key
/// whose latest set finished before the read started and succeeded without store errors, with no
/// other write, get-or-create, removal, or invalidation of an enclosing scope or of a tag of that set
/// (successful, failed or unfinished) touching the interval from the set's start to the read's end,
/// must be a hit returning that very write.</item>
/// <item><b>I5</b> gets, sets and get-or-creates never throw; invalidations and removals throw only
/// <see cref="CacheInvalidationException"/>.</item>
/// </list>
/// </remarks>
internal static class Judge
{
    public static Verdict Run(History history, bool checkLocality, int keep = 50)
    {
        ArgumentNullException.ThrowIfNull(history);
        var verdict = new Verdict(keep) { LocalityJudged = checkLocality };
        var index = new Indexes(history.Operations);

        foreach (var op in history.Operations)
        {
            JudgeExceptions(op, verdict);
            if (!op.IsRead || op.Status != OpStatus.Ok)
            {
                continue;
            }

            verdict.Reads++;
            if (op.Hit)
            {
                verdict.Hits++;
            }

            long returned = 0;
            if (op.ReturnedValue && !JudgeValue(op, index, verdict, out returned))
            {
                continue;
            }

            if (checkLocality)
            {
                JudgeLocality(op, returned, index, verdict);
            }
        }

        return verdict;
    }

    private static void JudgeExceptions(Operation op, Verdict verdict)
    {
        if (op.Status != OpStatus.Threw)
        {
            return;
        }

        switch (op.Kind)
        {
            case OpKind.Get or OpKind.Set or OpKind.GetOrCreate:
                verdict.Add(new Violation("I5", $"{Name(op.Kind)} threw (reads and writes must fail open): {op.Error}", [op]));
                break;
            case OpKind.Remove or OpKind.InvalidateScope or OpKind.InvalidateTag when !op.ErrorTyped:
                verdict.Add(new Violation("I5", $"{Name(op.Kind)} failed with an exception other than CacheInvalidationException: {op.Error}", [op]));
                break;
        }
    }

    /// <summary>I2 and I1 for a read that returned a value. Returns false when the value itself is bad.</summary>
    private static bool JudgeValue(Operation read, Indexes index, Verdict verdict, out long writeId)
    {
        writeId = read.ReturnedWriteId;
        if (read.RawValue is not null)
        {
            var defect = ValueCodec.Verify(read.RawValue, read.Entry, out writeId);
            if (defect != ValueDefect.None)
            {
                var what = defect switch
                {
                    ValueDefect.BadChecksum => "a value whose checksum does not match (altered bytes)",
                    ValueDefect.ForeignIdentity => "a value written for another identity",
                    _ => "a value that does not decode",
                };
                verdict.Add(new Violation("I2", $"{Name(read.Kind)} of {read.Entry} returned {what}: \"{read.RawValue}\"", [read]));
                return false;
            }
        }

        if (!index.Writes.TryGetValue(writeId, out var write))
        {
            verdict.Add(new Violation("I2", string.Create(CultureInfo.InvariantCulture, $"{Name(read.Kind)} of {read.Entry} returned write {writeId:x}, which no operation of this run made"), [read]));
            return false;
        }

        if (write.Entry != read.Entry)
        {
            verdict.Add(new Violation("I2", $"{Name(read.Kind)} of {read.Entry} returned a value written for {write.Entry}", [read, write]));
            return false;
        }

        foreach (var target in Targets(read.Location, write))
        {
            var invalidation = index.SuccessfulInvalidations(target).LatestStartedAmongEndedBefore(read.Start);
            if (invalidation is not null && invalidation.Start > write.TokensReadBy)
            {
                var written = write.Kind == OpKind.Set ? "a set that finished" : "a get-or-create whose factory started";
                verdict.Add(new Violation(
                    "I1",
                    $"{Name(read.Kind)} of {read.Entry} started after the invalidation of {target} returned, yet returned the value of {written} before that invalidation started",
                    [read, write, invalidation]));
                return true;
            }
        }

        var removal = index.SuccessfulRemovals(read.Entry).LatestStartedAmongEndedBefore(read.Start);
        if (removal is not null && removal.Start > write.End)
        {
            verdict.Add(new Violation(
                "I1",
                $"{Name(read.Kind)} of {read.Entry} started after a removal of the key returned, yet returned a value written before that removal started",
                [read, write, removal]));
        }

        return true;
    }

    private static void JudgeLocality(Operation read, long returnedWrite, Indexes index, Verdict verdict)
    {
        if (read.StoreErrors > 0 || read.Rejections > 0)
        {
            return;
        }

        var set = index.Sets(read.Entry).LastEndedBefore(read.Start);
        if (set is null || set.Status != OpStatus.Ok || set.StoreErrors > 0 || set.WriteId == 0)
        {
            return;
        }

        if (index.EntryWrites(read.Entry).FirstTouching(set.Start, read.End, set, read) is not null)
        {
            return;
        }

        foreach (var target in Targets(read.Location, set))
        {
            if (index.AllInvalidations(target).FirstTouching(set.Start, read.End) is not null)
            {
                return;
            }
        }

        verdict.LocalityChecked++;
        var ok = read.Kind == OpKind.Get
            ? read.Hit && returnedWrite == set.WriteId
            : !read.FactoryRan && returnedWrite == set.WriteId;
        if (ok)
        {
            return;
        }

        var got = read.Kind == OpKind.Get
            ? read.Hit ? string.Create(CultureInfo.InvariantCulture, $"write {returnedWrite:x}") : "a miss"
            : read.FactoryRan ? "a miss (its factory ran)" : string.Create(CultureInfo.InvariantCulture, $"write {returnedWrite:x}");
        List<Operation> evidence = [read, set];
        if (returnedWrite != 0 && returnedWrite != read.WriteId && index.Writes.TryGetValue(returnedWrite, out var older))
        {
            evidence.Add(older);
        }

        verdict.Add(new Violation(
            "I3",
            string.Create(CultureInfo.InvariantCulture, $"{Name(read.Kind)} of {read.Entry} returned {got}, but write {set.WriteId:x} finished before it started and nothing touched the entry, its scopes or its tags since"),
            evidence));
    }

    /// <summary>The scopes enclosing <paramref name="location"/>, then the tags <paramref name="write"/> carried.</summary>
    private static IEnumerable<Target> Targets(Location location, Operation write)
    {
        foreach (var target in location.EnclosingTargets())
        {
            yield return target;
        }

        for (var tag = 0; tag < 31; tag++)
        {
            if ((write.TagMask & (1 << tag)) != 0)
            {
                yield return Target.ForTag(location.App, tag);
            }
        }
    }

    private static string Name(OpKind kind) => kind switch
    {
        OpKind.Get => "get",
        OpKind.Set => "set",
        OpKind.GetOrCreate => "get-or-create",
        OpKind.Remove => "remove",
        OpKind.InvalidateScope => "invalidate",
        OpKind.InvalidateTag => "invalidate tag",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Operations related to a violation, for the report: those on the same entry, and invalidations
    /// of its scopes, that touch the span of the evidence; at most <paramref name="max"/>.
    /// </summary>
    public static IReadOnlyList<Operation> Context(History history, Violation violation, int max = 12)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(violation);
        var read = violation.Evidence[0];
        var from = violation.Evidence.Min(o => o.Start);
        var to = violation.Evidence.Max(o => o.End == long.MaxValue ? o.Start : o.End);
        var related = history.Operations
            .Where(o => !violation.Evidence.Contains(o) && o.Start <= to && o.End >= from)
            .Where(o => o.Kind == OpKind.Fault
                || (o.Kind is OpKind.InvalidateScope && o.Location.Encloses(read.Location))
                || (o.Kind is OpKind.InvalidateTag && o.Location.App == read.Location.App)
                || (o.Kind is OpKind.Get or OpKind.Set or OpKind.GetOrCreate or OpKind.Remove && o.Entry == read.Entry))
            .OrderBy(o => o.Start)
            .Take(max);
        return [.. related];
    }

    /// <summary>The history grouped and indexed once.</summary>
    private sealed class Indexes
    {
        private readonly Dictionary<Target, List<Operation>> _okInvalidations = [];
        private readonly Dictionary<Target, List<Operation>> _allInvalidations = [];
        private readonly Dictionary<EntryKey, List<Operation>> _okRemovals = [];
        private readonly Dictionary<EntryKey, List<Operation>> _sets = [];
        private readonly Dictionary<EntryKey, List<Operation>> _entryWrites = [];
        private readonly Dictionary<object, IntervalIndex> _built = [];

        public Indexes(IReadOnlyList<Operation> operations)
        {
            foreach (var op in operations)
            {
                switch (op.Kind)
                {
                    case OpKind.Set:
                        if (op.WriteId != 0)
                        {
                            Writes[op.WriteId] = op;
                        }

                        Append(_sets, op.Entry, op);
                        Append(_entryWrites, op.Entry, op);
                        break;
                    case OpKind.GetOrCreate:
                        if (op.FactoryRan && op.WriteId != 0)
                        {
                            Writes[op.WriteId] = op;
                        }

                        if (op.FactoryRan || op.Status != OpStatus.Ok)
                        {
                            Append(_entryWrites, op.Entry, op);
                        }

                        break;
                    case OpKind.Remove:
                        Append(_entryWrites, op.Entry, op);
                        if (op.Status == OpStatus.Ok)
                        {
                            Append(_okRemovals, op.Entry, op);
                        }

                        break;
                    case OpKind.InvalidateScope or OpKind.InvalidateTag:
                        var target = op.Kind == OpKind.InvalidateTag ? Target.ForTag(op.Location.App, op.Tag) : Target.Scope(op.Location);
                        Append(_allInvalidations, target, op);
                        if (op.Status == OpStatus.Ok)
                        {
                            Append(_okInvalidations, target, op);
                        }

                        break;
                }
            }
        }

        /// <summary>Every write id produced, to the operation that produced it.</summary>
        public Dictionary<long, Operation> Writes { get; } = [];

        public IntervalIndex SuccessfulInvalidations(Target target) => Get(_okInvalidations, target, "ok");

        public IntervalIndex AllInvalidations(Target target) => Get(_allInvalidations, target, "all");

        public IntervalIndex SuccessfulRemovals(EntryKey entry) => Get(_okRemovals, entry, "removed");

        public IntervalIndex Sets(EntryKey entry) => Get(_sets, entry, "sets");

        public IntervalIndex EntryWrites(EntryKey entry) => Get(_entryWrites, entry, "writes");

        private static void Append<TKey>(Dictionary<TKey, List<Operation>> groups, TKey key, Operation op)
            where TKey : notnull
        {
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(op);
        }

        private IntervalIndex Get<TKey>(Dictionary<TKey, List<Operation>> groups, TKey key, string kind)
            where TKey : notnull
        {
            var id = (kind, key);
            if (_built.TryGetValue(id, out var built))
            {
                return built;
            }

            built = groups.TryGetValue(key, out var list) ? new IntervalIndex(list) : IntervalIndex.Empty;
            _built[id] = built;
            return built;
        }
    }
}
