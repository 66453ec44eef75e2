using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Cli.Check;

// Stale and fail-safe results, each against its own bound; expired values against their entry's lifetime.
internal static partial class Judge
{
    /// <summary>
    /// What the bounds allow for scheduling: a result is timed when the call returns, a continuation or two
    /// after the engine read the value (more on a loaded machine), and the engine's clock of deadlines is not
    /// the history's. A call with a factory timeout may also return a value it read only when its factory timed
    /// out, so its <see cref="Operation.HardTimeout"/> is added to this.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// I1 for a <see cref="GetOrCreateOutcome.Stale"/> result: a value of an older generation of the same key is
    /// allowed when the call ended at most StaleFor (+ the store's clock granularity + <see cref="Slack"/>) after the
    /// entry was first found invalidated. The generation certainly ended when the earliest invalidation that started
    /// after the value's tokens were read returned (<em>G</em>); the entry holding the value was certainly in the
    /// store by its write's <see cref="Operation.StoredBy"/>; every get-or-create of a leasing process that began
    /// after both, and returned without a store error, marked it stale before it ended (or found it marked), so the
    /// first detection <em>D</em> is no later than the earliest end of those.
    /// </summary>
    private static void JudgeStale(Operation read, Operation write, List<TargetIndexes> targets, Indexes index, Verdict verdict)
    {
        Operation? ending = null;
        foreach (var indexes in targets)
        {
            var candidate = indexes.Successful.EarliestEndedAmongStartedAfter(write.TokensReadBy);
            if (candidate is not null && candidate.End < read.Start && (ending is null || candidate.End < ending.End))
            {
                ending = candidate;
            }
        }

        if (ending is not null)
        {
            JudgeStaleBound(read, write, ending.End, ending, index, verdict);
        }
    }

    /// <summary>The stale bound, once the value's generation certainly ended at <paramref name="generationEnd"/> (by <paramref name="cause"/>).</summary>
    private static void JudgeStaleBound(Operation read, Operation write, long generationEnd, Operation cause, Indexes index, Verdict verdict)
    {
        verdict.StaleOlderGeneration++;
        var stored = write.StoredBy;
        if (stored == long.MaxValue)
        {
            return; // when the entry reached the store is unknown: nothing bounds its first detection
        }

        var detection = index.Entry(read.Entry).Detections.EarliestEndedAmongStartedAfter(Math.Max(generationEnd, stored));
        if (detection is null || detection.End > read.End)
        {
            return; // no read is known to have detected it before this one ended
        }

        verdict.StaleJudged++;
        var allowed = Ticks(read.StaleFor ?? TimeSpan.Zero) + Ticks(index.StoreClock) + Ticks(Slack + (read.HardTimeout ?? TimeSpan.Zero));
        var age = read.End - detection.End;
        verdict.StaleMaxAgeMs = Math.Max(verdict.StaleMaxAgeMs, age * 1000.0 / Stopwatch.Frequency);
        if (age > allowed)
        {
            verdict.Add(new Violation(
                "I1",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"get-or-create of {read.Entry} returned a stale value {age * 1000.0 / Stopwatch.Frequency:F0} ms after the end of a read that found it invalidated (the first detection is no later), beyond its StaleFor of {(read.StaleFor ?? TimeSpan.Zero).TotalMilliseconds:F0} ms (+ {(index.StoreClock + Slack + (read.HardTimeout ?? TimeSpan.Zero)).TotalMilliseconds:F0} ms allowed for the store's clock, scheduling and the call's factory timeout)"),
                [read, write, cause, detection]));
        }
    }

    /// <summary>
    /// Expiry: a value whose write gave it a lifetime (<see cref="Operation.Lifetime"/>) expired at the latest
    /// that long after it was stored. A <see cref="GetOrCreateOutcome.FailSafe"/> result may be expired by at most
    /// the call's FailSafeFor; any other result (but a stale one, bounded by its own rule) not at all. Judged on
    /// the call's start (the read that found the value came after it), with <see cref="Slack"/> for the clocks.
    /// </summary>
    private static void JudgeExpiry(Operation read, Operation write, Verdict verdict)
    {
        if (write.Lifetime <= TimeSpan.Zero || write.StoredBy == long.MaxValue || read.Outcome == GetOrCreateOutcome.Stale)
        {
            return;
        }

        var failSafe = read.Outcome == GetOrCreateOutcome.FailSafe ? read.FailSafeFor ?? TimeSpan.Zero : TimeSpan.Zero;
        var expiredFor = read.Start - (write.StoredBy + Ticks(write.Lifetime));
        if (expiredFor > 0 && read.Outcome == GetOrCreateOutcome.FailSafe)
        {
            verdict.FailSafeExpired++;
        }

        if (expiredFor > Ticks(failSafe + Slack))
        {
            var allowedText = read.Outcome == GetOrCreateOutcome.FailSafe ? $"its FailSafeFor of {failSafe.TotalMilliseconds:F0} ms" : "none (not a fail-safe result)";
            verdict.Add(new Violation(
                "expiry",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name(read.Kind)} of {read.Entry} began {expiredFor * 1000.0 / Stopwatch.Frequency:F0} ms after its value's entry expired (lifetime {write.Lifetime.TotalMilliseconds:F0} ms from its write) and returned it as {read.Outcome?.ToString() ?? "a hit"}; allowed: {allowedText}, + {Slack.TotalMilliseconds:F0} ms"),
                [read, write]));
        }
    }
}
