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
/// <item><b>I4</b> (only with a <c>tokenNodes</c> placement: the checker's own memcached nodes) a read that
/// started more than Δ_max (1 s) after a fault emptied a node holding one of the value's version keys
/// must not return a value whose tokens were read before that fault started (a vanished token may
/// serve reads for at most Δ_max; within it, such hits are counted, not flagged).</item>
/// <item><b>I5</b> gets, sets and get-or-creates never throw; invalidations and removals throw only
/// <see cref="CacheInvalidationException"/>.</item>
/// </list>
/// </remarks>
internal static partial class Judge
{
    [ThreadStatic]
    private static List<TargetIndexes>? t_scratch;

    private static List<TargetIndexes> Scratch => t_scratch ??= [];

    /// <param name="history">The run.</param>
    /// <param name="checkLocality">Judge I3 (no faults, no eviction, no expiry).</param>
    /// <param name="keep">Violations kept with their evidence.</param>
    /// <param name="tokenNodes">
    /// The nodes holding the version keys of a value of (location, tag mask), one bit per node; with the
    /// faults' <see cref="Operation.LostNodes"/>, it lets I4 be judged. <see langword="null"/>: not judged.
    /// </param>
    /// <param name="storeClock">How coarse the store's clock of times to live is (memcached: 1 s), allowed beyond StaleFor.</param>
    public static Verdict Run(History history, bool checkLocality, int keep = 50, Func<Location, int, int>? tokenNodes = null, TimeSpan storeClock = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        var verdict = new Verdict(keep) { LocalityJudged = checkLocality, TokenLossJudged = tokenNodes is not null };
        var index = new Indexes(history.Operations) { TokenNodes = tokenNodes, StoreClock = storeClock };

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

            verdict.StaleResults += op.Outcome == GetOrCreateOutcome.Stale ? 1 : 0;
            verdict.FailSafeResults += op.Outcome == GetOrCreateOutcome.FailSafe ? 1 : 0;

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
            case OpKind.GetOrCreate when op.ErrorExpected:
                verdict.FactoryFailures++; // its factory failed or timed out: the call rethrows that, by design
                break;
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
        if (read.Outcome == GetOrCreateOutcome.Stale)
        {
            JudgeStale(read, write, Scratch, index, verdict); // a value of an older generation, within its bound
        }
        else
        {
            foreach (var indexes in Scratch)
            {
                var target = indexes.Target;
                var invalidation = indexes.Successful.LatestStartedAmongEndedBefore(read.Start);
                if (invalidation is not null && invalidation.Start > write.TokensReadBy)
                {
                    var written = write.Kind == OpKind.Set ? "a set that finished" : "a get-or-create whose factory started";
                    var loss = LossBefore(write, invalidation, index);
                    verdict.Add(new Violation(
                        "I1",
                        $"{Name(read.Kind)} of {read.Entry} started after the invalidation of {target} returned, yet returned the value of {written} before that invalidation started"
                            + (loss is null ? "" : "; before that invalidation a fault emptied a node holding one of the value's version keys (processes may still have reused the vanished token, and the invalidation may have replaced one created afresh since, waiting only what that one promised)"),
                        loss is null ? [read, write, invalidation] : [read, write, invalidation, loss]));
                    return true;
                }
            }
        }

        // A write whose store call failed (the engine logged it and went on) has an unknown outcome:
        // the client gave up on it, but the command may have reached the server and land later (a
        // paused node executes what it had buffered when it continues). Its end says nothing about
        // when it took effect, so it is no evidence against a removal. (The invalidation rule above
        // needs no such care: a late write carries tokens read before it ended.)
        var removal = write.StoreErrors > 0 || write.DataWriteUnknown ? null : index.Entry(read.Entry).SuccessfulRemovals.LatestStartedAmongEndedBefore(read.Start);
        if (removal is not null && removal.Start > write.WriteEnd)
        {
            verdict.Add(new Violation(
                "I1",
                $"{Name(read.Kind)} of {read.Entry} started after a removal of the key returned, yet returned a value written before that removal started",
                [read, write, removal]));
            return true;
        }

        JudgeTokenLoss(read, write, index, verdict);
        JudgeExpiry(read, write, verdict);
        return true;
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
}
