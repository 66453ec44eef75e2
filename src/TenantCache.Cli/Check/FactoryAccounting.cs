using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>
/// How many factory runs the fleet made per (key, generation): a report, not a verdict. A key's generation
/// is the state of its tokens — those of its scopes and of the tags its get-or-creates give it (fixed per
/// key, <see cref="Workspace.GetOrCreateTags"/>) — between two invalidations that cover it; a run belongs to
/// the generation in force when its factory started (an invalidation counts from its start: it may have
/// replaced the token from then on; failed and unfinished ones count too, they may have).
/// </summary>
/// <remarks>
/// With leases, one run per generation is the aim; a run beyond the first is one of: a <b>takeover</b> (the
/// caller waited out <see cref="LeaseOptions.Duration"/> and took the lease over: meter
/// <c>tenantcache.leases.takeovers</c>); <b>concurrent</b> (it began while an earlier run of the generation had
/// not yet ended and written its value back: the single flight did not hold it back, e.g. a process without
/// leases, a lease lost with a store error, or a run whose tokens straddled an invalidation); or <b>after</b>
/// (the earlier value did not serve it: removed, replaced by a set whose tags were since invalidated, not
/// stored — the factory failed or timed out, the write-back failed or lost to a concurrent write —, expired,
/// or evicted).
/// </remarks>
internal sealed class FactoryAccounting
{
    /// <summary>(key, generation) pairs with at least one run.</summary>
    public long Generations { get; private init; }

    public long Runs { get; private init; }

    public int MaxRuns { get; private init; }

    /// <summary>Generations with more than one run.</summary>
    public long Repeated { get; private init; }

    public long Takeovers { get; private init; }

    public long Concurrent { get; private init; }

    public long After { get; private init; }

    public long Beyond => Runs - Generations;

    public double Mean => Generations == 0 ? 0 : (double)Runs / Generations;

    public static FactoryAccounting Of(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var boundaries = history.Operations
            .Where(o => o.Kind is OpKind.InvalidateScope or OpKind.InvalidateTag && o.Start != 0)
            .GroupBy(o => o.Kind == OpKind.InvalidateTag ? Target.ForTag(o.Location.App, o.Tag) : Target.Scope(o.Location))
            .ToDictionary(g => g.Key, g => g.Select(o => o.Start).Order().ToArray());

        var groups = new Dictionary<(EntryKey, int), List<Operation>>();
        foreach (var run in history.Operations.Where(o => o.Kind == OpKind.GetOrCreate && o.FactoryRan && o.FactoryStart != 0))
        {
            var generation = 0;
            foreach (var target in TargetsOf(run))
            {
                if (boundaries.TryGetValue(target, out var starts))
                {
                    generation += CountBefore(starts, run.FactoryStart);
                }
            }

            var key = (run.Entry, generation);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(run);
        }

        long takeovers = 0, concurrent = 0, after = 0, repeated = 0;
        var max = 0;
        foreach (var runs in groups.Values)
        {
            max = Math.Max(max, runs.Count);
            if (runs.Count < 2)
            {
                continue;
            }

            repeated++;
            runs.Sort((a, b) => a.FactoryStart.CompareTo(b.FactoryStart));
            var doneBy = Done(runs[0]);
            for (var i = 1; i < runs.Count; i++)
            {
                var run = runs[i];
                if (run.TookOver)
                {
                    takeovers++;
                }
                else if (run.FactoryStart < doneBy)
                {
                    concurrent++;
                }
                else
                {
                    after++;
                }

                doneBy = Math.Max(doneBy, Done(run));
            }
        }

        return new FactoryAccounting
        {
            Generations = groups.Count,
            Runs = groups.Values.Sum(l => (long)l.Count),
            MaxRuns = max,
            Repeated = repeated,
            Takeovers = takeovers,
            Concurrent = concurrent,
            After = after,
        };
    }

    /// <summary>The report's line; <paramref name="meterTakeovers"/> is what the engine's meter counted in the run.</summary>
    public string Line(long meterTakeovers) => string.Create(
        CultureInfo.InvariantCulture,
        $"factory runs: {Runs} for {Generations} keys × generations: {Mean:F3} per generation (max {MaxRuns}), {Repeated} generations with more than one; {Beyond} beyond the first: {Takeovers} takeovers (meter tenantcache.leases.takeovers: {meterTakeovers}), {Beyond - Takeovers} others ({Concurrent} concurrent with an earlier run, {After} after it)");

    /// <summary>When a run's value had certainly been written back, if it was: its factory's end, or its write's.</summary>
    private static long Done(Operation run) =>
        Math.Max(run.FactoryEnd == 0 ? run.End : run.FactoryEnd, run.DataWrittenAt);

    private static IEnumerable<Target> TargetsOf(Operation run)
    {
        foreach (var target in run.Location.EnclosingTargets())
        {
            yield return target;
        }

        for (var tag = 0; tag < 31 && run.TagMask >> tag != 0; tag++)
        {
            if ((run.TagMask & (1 << tag)) != 0)
            {
                yield return Target.ForTag(run.Location.App, tag);
            }
        }
    }

    private static int CountBefore(long[] sorted, long time)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
