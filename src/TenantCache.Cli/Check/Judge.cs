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
/// not return a value whose write finished before that removal started, unless that write met a store
/// error (its outcome, and so the moment it took effect, is unknown).</item>
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
    [ThreadStatic]
    private static List<TargetIndexes>? t_scratch;

    private static List<TargetIndexes> Scratch => t_scratch ??= [];

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

        index.Targets(read.Location, write.TagMask, Scratch);
        foreach (var indexes in Scratch)
        {
            var target = indexes.Target;
            var invalidation = indexes.Successful.LatestStartedAmongEndedBefore(read.Start);
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

        // A write whose store call failed (the engine logged it and went on) has an unknown outcome:
        // the client gave up on it, but the command may have reached the server and land later (a
        // paused node executes what it had buffered when it continues). Its end says nothing about
        // when it took effect, so it is no evidence against a removal. (The invalidation rule above
        // needs no such care: a late write carries tokens read before it ended.)
        var removal = write.StoreErrors > 0 ? null : index.Entry(read.Entry).SuccessfulRemovals.LatestStartedAmongEndedBefore(read.Start);
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

        var entry = index.Entry(read.Entry);
        var set = entry.Sets.LastEndedBefore(read.Start);
        if (set is null || set.Status != OpStatus.Ok || set.StoreErrors > 0 || set.WriteId == 0)
        {
            return;
        }

        if (entry.Writes.FirstTouching(set.Start, read.End, set, read) is not null)
        {
            return;
        }

        index.Targets(read.Location, set.TagMask, Scratch);
        foreach (var indexes in Scratch)
        {
            if (indexes.All.FirstTouching(set.Start, read.End) is not null)
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

    /// <summary>The operations of one entry, indexed.</summary>
    private sealed class EntryIndexes(List<Operation> sets, List<Operation> writes, List<Operation> removals)
    {
        public IntervalIndex Sets { get; } = new(sets);

        /// <summary>Everything that may change the stored entry: sets, removals, get-or-creates that computed (or did not return).</summary>
        public IntervalIndex Writes { get; } = new(writes);

        public IntervalIndex SuccessfulRemovals { get; } = new(removals.Where(o => o.Status == OpStatus.Ok));
    }

    /// <summary>The invalidations of one scope or tag, indexed.</summary>
    private sealed class TargetIndexes(Target target, List<Operation> all)
    {
        public Target Target { get; } = target;

        public IntervalIndex All { get; } = new(all);

        public IntervalIndex Successful { get; } = new(all.Where(o => o.Status == OpStatus.Ok));
    }

    /// <summary>The history grouped and indexed once, so that judging a read costs a few lookups.</summary>
    private sealed class Indexes
    {
        private static readonly EntryIndexes NoEntry = new([], [], []);
        private readonly Dictionary<EntryKey, EntryIndexes> _entries = [];
        private readonly Dictionary<Target, TargetIndexes> _targets = [];
        private readonly Dictionary<Location, TargetIndexes[]> _enclosing = [];

        public Indexes(IReadOnlyList<Operation> operations)
        {
            var sets = new Dictionary<EntryKey, List<Operation>>();
            var writes = new Dictionary<EntryKey, List<Operation>>();
            var removals = new Dictionary<EntryKey, List<Operation>>();
            var invalidations = new Dictionary<Target, List<Operation>>();
            foreach (var op in operations)
            {
                switch (op.Kind)
                {
                    case OpKind.Set:
                        if (op.WriteId != 0)
                        {
                            Writes[op.WriteId] = op;
                        }

                        Append(sets, op.Entry, op);
                        Append(writes, op.Entry, op);
                        break;
                    case OpKind.GetOrCreate:
                        if (op.FactoryRan && op.WriteId != 0)
                        {
                            Writes[op.WriteId] = op;
                        }

                        if (op.FactoryRan || op.Status != OpStatus.Ok)
                        {
                            Append(writes, op.Entry, op);
                        }

                        break;
                    case OpKind.Remove:
                        Append(writes, op.Entry, op);
                        Append(removals, op.Entry, op);
                        break;
                    case OpKind.InvalidateScope or OpKind.InvalidateTag:
                        var target = op.Kind == OpKind.InvalidateTag ? Target.ForTag(op.Location.App, op.Tag) : Target.Scope(op.Location);
                        Append(invalidations, target, op);
                        break;
                }
            }

            foreach (var entry in sets.Keys.Union(writes.Keys).Union(removals.Keys))
            {
                _entries[entry] = new EntryIndexes(sets.GetValueOrDefault(entry) ?? [], writes.GetValueOrDefault(entry) ?? [], removals.GetValueOrDefault(entry) ?? []);
            }

            foreach (var (target, list) in invalidations)
            {
                _targets[target] = new TargetIndexes(target, list);
            }
        }

        /// <summary>Every write id produced, to the operation that produced it.</summary>
        public Dictionary<long, Operation> Writes { get; } = [];

        public EntryIndexes Entry(EntryKey entry) => _entries.GetValueOrDefault(entry) ?? NoEntry;

        /// <summary>The invalidation targets that concern a value of <paramref name="location"/> written with <paramref name="tagMask"/>.</summary>
        public void Targets(Location location, int tagMask, List<TargetIndexes> into)
        {
            into.Clear();
            if (!_enclosing.TryGetValue(location, out var enclosing))
            {
                enclosing = [.. location.EnclosingTargets().Select(t => _targets.GetValueOrDefault(t) ?? new TargetIndexes(t, []))];
                _enclosing[location] = enclosing;
            }

            into.AddRange(enclosing);
            for (var tag = 0; tagMask >> tag != 0 && tag < 31; tag++)
            {
                if ((tagMask & (1 << tag)) != 0 && _targets.TryGetValue(Target.ForTag(location.App, tag), out var indexes))
                {
                    into.Add(indexes);
                }
            }
        }

        private static void Append<TKey>(Dictionary<TKey, List<Operation>> groups, TKey key, Operation op)
            where TKey : notnull
        {
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(op);
        }
    }
}
