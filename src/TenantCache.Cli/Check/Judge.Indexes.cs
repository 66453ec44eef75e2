namespace TenantCache.Cli.Check;

// The history grouped and indexed once, so that judging a read costs a few lookups.
internal static partial class Judge
{
    /// <summary>The operations of one entry, indexed.</summary>
    private sealed class EntryIndexes(List<Operation> sets, List<Operation> writes, List<Operation> removals, List<Operation> detections)
    {
        public IntervalIndex Sets { get; } = new(sets);

        /// <summary>
        /// Everything that may change the stored entry: sets, removals, get-or-creates that computed (or did not
        /// return), each until its <see cref="Operation.WriteEnd"/> (a write-back may follow the call's return).
        /// </summary>
        public IntervalIndex Writes { get; } = new(writes, o => o.WriteEnd);

        public IntervalIndex SuccessfulRemovals { get; } = new(removals.Where(o => o.Status == OpStatus.Ok));

        /// <summary>
        /// The get-or-creates that certainly told the store about a dead entry they found: by a process that takes
        /// leases, returned, no store error. Each marks an invalidated entry stale before it ends (or finds it marked).
        /// </summary>
        public IntervalIndex Detections { get; } = new(detections);
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
        private static readonly EntryIndexes NoEntry = new([], [], [], []);
        private readonly Dictionary<EntryKey, EntryIndexes> _entries = [];
        private readonly Dictionary<Target, TargetIndexes> _targets = [];
        private readonly Dictionary<Location, TargetIndexes[]> _enclosing = [];

        public Indexes(IReadOnlyList<Operation> operations)
        {
            var sets = new Dictionary<EntryKey, List<Operation>>();
            var writes = new Dictionary<EntryKey, List<Operation>>();
            var removals = new Dictionary<EntryKey, List<Operation>>();
            var detections = new Dictionary<EntryKey, List<Operation>>();
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

                        if (op.Leased && op.Status == OpStatus.Ok && op.StoreErrors == 0)
                        {
                            Append(detections, op.Entry, op);
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

            foreach (var entry in sets.Keys.Union(writes.Keys).Union(removals.Keys).Union(detections.Keys))
            {
                _entries[entry] = new EntryIndexes(
                    sets.GetValueOrDefault(entry) ?? [], writes.GetValueOrDefault(entry) ?? [], removals.GetValueOrDefault(entry) ?? [], detections.GetValueOrDefault(entry) ?? []);
            }

            foreach (var (target, list) in invalidations)
            {
                _targets[target] = new TargetIndexes(target, list);
            }

            var lost = new Vanishings(operations);
            Lost = lost.Any ? lost : null;
        }

        /// <summary>The nodes of a value's version keys (<see cref="Run"/>'s <c>tokenNodes</c>); null when I4 is not judged.</summary>
        public Func<Location, int, int>? TokenNodes { get; init; }

        /// <summary>How coarse the store's clock of expiries is (memcached: whole seconds), for the stale bound.</summary>
        public TimeSpan StoreClock { get; init; }

        /// <summary>The faults that emptied nodes; null when there were none.</summary>
        public Vanishings? Lost { get; }

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
