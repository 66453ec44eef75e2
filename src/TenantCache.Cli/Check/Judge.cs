using System.Globalization;

namespace TenantCache.Cli.Check;

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
internal static partial class Judge
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
}
