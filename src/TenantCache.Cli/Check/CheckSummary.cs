using System.Globalization;

namespace TenantCache.Cli.Check;

/// <summary>The counts of a run and how to print them. The last line is machine-readable.</summary>
internal sealed partial class CheckSummary
{
    public long Ops { get; init; }

    public long Reads { get; init; }

    public long Hits { get; init; }

    public long Invalidations { get; init; }

    public long Faults { get; init; }

    public long Violations { get; init; }

    public TimeSpan Elapsed { get; init; }

    public IReadOnlyDictionary<OpKind, long> ByKind { get; init; } = new Dictionary<OpKind, long>();

    public long FactoryCalls { get; init; }

    public long FailedInvalidations { get; init; }

    public long StoreErrors { get; init; }

    public long Rejections { get; init; }

    /// <summary>Operations that met a store error (fail open) or threw: they did not reach a working store.</summary>
    public long Unserved { get; init; }

    /// <summary>
    /// The share of operations that must reach the store without an error for a run to count: below
    /// it, the run judged mostly fail-open misses (an unreachable cluster passes every invariant
    /// trivially), so it fails however few violations it found.
    /// </summary>
    public const double MinimumServedShare = 0.5;

    /// <summary>Why the run checked too little to count, or <see langword="null"/> when it counts.</summary>
    public string? Insufficient => Ops == 0
        ? "no operation ran"
        : Ops - Unserved < Ops * MinimumServedShare
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"only {Ops - Unserved} of {Ops} operations ({100.0 * (Ops - Unserved) / Ops:F1}%) reached the store without an error; a run counts when at least {MinimumServedShare * 100:F0}% do (is the store reachable?)")
            : ReuseProblem;

    /// <summary>
    /// Set when processes with a token window read a lot and never reused a token: the window is
    /// silently off, so the run did not check what it was asked to (it fails like a run that reached too little).
    /// </summary>
    public string? ReuseProblem { get; set; }

    public long LocalityChecked { get; init; }

    public bool LocalityJudged { get; init; }

    public List<string> Notes { get; } = [];

    /// <summary>The last line of every run, exactly.</summary>
    public string Line => string.Create(
        CultureInfo.InvariantCulture,
        $"ops={Ops} reads={Reads} hits={Hits} invalidations={Invalidations} faults={Faults} violations={Violations}");

    public static CheckSummary From(History history, Verdict verdict, long faults, OperationLogger? logger, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(verdict);
        var ops = history.Operations.Where(o => o.Kind != OpKind.Fault).ToList();
        var byKind = ops.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => (long)g.LongCount());
        return new CheckSummary
        {
            Ops = ops.Count,
            Reads = verdict.Reads,
            Hits = verdict.Hits,
            Invalidations = byKind.GetValueOrDefault(OpKind.InvalidateScope) + byKind.GetValueOrDefault(OpKind.InvalidateTag),
            Faults = faults,
            Violations = verdict.ViolationCount,
            Elapsed = elapsed,
            ByKind = byKind,
            FactoryCalls = ops.LongCount(o => o.Kind == OpKind.GetOrCreate && o.FactoryRan),
            FailedInvalidations = ops.LongCount(o => o.Kind is OpKind.InvalidateScope or OpKind.InvalidateTag or OpKind.Remove && o.Status == OpStatus.Threw),
            StoreErrors = logger?.StoreErrors ?? ops.Sum(o => (long)o.StoreErrors),
            Rejections = logger?.Rejections ?? ops.Sum(o => (long)o.Rejections),
            Unserved = ops.LongCount(IsUnserved),
            LocalityChecked = verdict.LocalityChecked,
            LocalityJudged = verdict.LocalityJudged,
            Outcomes = ops.Where(o => o.Outcome is not null && o.Status == OpStatus.Ok).GroupBy(o => o.Outcome!.Value).ToDictionary(g => g.Key, g => g.LongCount()),
            FactoryFailures = verdict.FactoryFailures,
            Stale = (verdict.StaleResults, verdict.StaleOlderGeneration, verdict.StaleJudged, verdict.StaleMaxAgeMs),
            FailSafe = (verdict.FailSafeResults, verdict.FailSafeExpired),
        };
    }

    /// <summary>Whether an operation met a store error or threw (<see cref="Unserved"/>); a factory's own failure, rethrown, reached the store.</summary>
    public static bool IsUnserved(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.StoreErrors > 0 || (op.Status == OpStatus.Threw && !op.ErrorExpected);
    }

    /// <summary>Prints the details, the first <paramref name="show"/> violations with their histories, and the summary line last.</summary>
    public void Write(TextWriter output, CheckResult result, int show)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        long Kind(OpKind kind) => ByKind.GetValueOrDefault(kind);
        output.WriteLine(string.Create(inv, $"ran {Elapsed.TotalSeconds:F1} s: {Ops / Math.Max(Elapsed.TotalSeconds, 0.001):F0} ops/s"));
        output.WriteLine(string.Create(
            inv,
            $"operations: get={Kind(OpKind.Get)} set={Kind(OpKind.Set)} get-or-create={Kind(OpKind.GetOrCreate)} (factory calls={FactoryCalls}) remove={Kind(OpKind.Remove)} invalidate-scope={Kind(OpKind.InvalidateScope)} invalidate-tag={Kind(OpKind.InvalidateTag)}"));
        output.WriteLine(string.Create(inv, $"failed invalidations/removals={FailedInvalidations} store errors (fail open)={StoreErrors} rejected entries={Rejections} operations without a store error={Ops - Unserved} of {Ops}"));
        WriteLeaseLines(output);
        output.WriteLine(LocalityJudged
            ? string.Create(inv, $"I3: {LocalityChecked} reads met every condition and had to be hits")
            : "I3: not judged (faults, eviction pressure or an aborted run)");
        foreach (var note in Notes)
        {
            output.WriteLine("note: " + note);
        }

        var verdict = result.Verdict;
        if (verdict.ViolationCount > 0)
        {
            output.WriteLine("violations by invariant: " + string.Join(' ', verdict.ByInvariant.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(inv, $"{p.Key}={p.Value}"))));
            var origin = result.History.Origin;
            var shown = verdict.Violations.Take(show).ToList();
            for (var i = 0; i < shown.Count; i++)
            {
                var v = shown[i];
                output.WriteLine();
                output.WriteLine(string.Create(inv, $"violation {i + 1} of {verdict.ViolationCount} [{v.Invariant}] {v.Message}"));
                foreach (var op in v.Evidence)
                {
                    output.WriteLine("  " + op.Describe(origin));
                }

                var context = Judge.Context(result.History, v);
                if (context.Count > 0)
                {
                    output.WriteLine("  related operations meanwhile:");
                    foreach (var op in context)
                    {
                        output.WriteLine("    " + op.Describe(origin));
                    }
                }
            }

            output.WriteLine();
            output.WriteLine(string.Create(inv, $"reproduce (as far as scheduling allows): {result.Options.CommandLine()}"));
        }

        if (Insufficient is { } reason)
        {
            output.WriteLine("not counted: " + reason);
        }

        output.WriteLine(Line);
    }
}
