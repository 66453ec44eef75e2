using System.Globalization;

namespace TenantCache.Cli.Check;

// I3, and the context of a violation for the report.
internal static partial class Judge
{
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
}
