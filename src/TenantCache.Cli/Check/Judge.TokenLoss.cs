using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Cli.Check;

// I4 with the token reuse window: after a version token vanished (its node killed or restarted empty),
// a process that fetched it less than Δ ago may still serve entries stamped with it, for at most Δ.
internal static partial class Judge
{
    /// <summary>
    /// The largest reuse window any process may use (Δ_max; the engine refuses a larger
    /// <see cref="TenantCacheOptions.TokenReuseWindow"/>, and caps what a token's flags promise to it).
    /// </summary>
    public static readonly TimeSpan MaxTokenWindow = TimeSpan.FromSeconds(1);

    private static long MaxTokenWindowTicks => (long)(MaxTokenWindow.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// I4 for a read that returned <paramref name="write"/>'s value: when a node holding one of the
    /// version keys the value was stamped with was emptied (a fault <em>F</em>) after the value's tokens
    /// were read, every token it was stamped with from that node is gone for good (new tokens are random).
    /// A process may still use one it fetched before <em>F</em> for less than Δ_max, so a hit is allowed
    /// when the read started at most Δ_max after <em>F</em>'s start returned, and is a violation after.
    /// </summary>
    private static void JudgeTokenLoss(Operation read, Operation write, Indexes index, Verdict verdict)
    {
        if (index.Lost is not { } lost || index.TokenNodes is not { } nodesOf)
        {
            return;
        }

        var nodes = nodesOf(write.Location, write.TagMask);
        var within = false;
        for (var node = 0; node < 31 && nodes >> node != 0; node++)
        {
            if ((nodes & (1 << node)) == 0)
            {
                continue;
            }

            var after = lost.LatestAppliedBefore(node, read.Start - MaxTokenWindowTicks);
            if (after is not null && after.Start > write.TokensReadBy && read.Outcome == GetOrCreateOutcome.Stale)
            {
                // A lost token ends a generation like an invalidation: every read Δ_max after the loss sees it gone.
                JudgeStaleBound(read, write, after.Applied + MaxTokenWindowTicks, after, index, verdict);
                return;
            }

            if (after is not null && after.Start > write.TokensReadBy)
            {
                verdict.Add(new Violation(
                    "I4",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{Name(read.Kind)} of {read.Entry} started more than Δ_max ({MaxTokenWindow.TotalMilliseconds:F0} ms) after node {node}, which holds a version key of the entry, was emptied, yet returned a value whose tokens were read before that: a vanished token served past the window"),
                    [read, write, after]));
                return;
            }

            var recent = lost.LatestAppliedBefore(node, read.Start);
            within |= recent is not null && recent.Start > write.TokensReadBy;
        }

        if (within)
        {
            verdict.HitsOnVanishedTokens++;
        }
    }

    /// <summary>
    /// For an I1 report: a fault that emptied a node holding one of <paramref name="write"/>'s version
    /// keys before <paramref name="invalidation"/> started, and after the value's tokens were read or less
    /// than Δ_max before the invalidation (the token the value was stamped with may have vanished while
    /// processes still reused it, another process may have created a new one, and the invalidation
    /// replaced that one, waiting only what it promised).
    /// </summary>
    private static Operation? LossBefore(Operation write, Operation invalidation, Indexes index)
    {
        if (index.Lost is not { } lost || index.TokenNodes is not { } nodesOf)
        {
            return null;
        }

        var nodes = nodesOf(write.Location, write.TagMask);
        for (var node = 0; node < 31 && nodes >> node != 0; node++)
        {
            if ((nodes & (1 << node)) != 0
                && lost.LatestAppliedBefore(node, invalidation.Start) is { } fault
                && (fault.Start > write.TokensReadBy || fault.Applied > invalidation.Start - MaxTokenWindowTicks))
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The faults that emptied nodes, per node, ordered by when their start returned.</summary>
    private sealed class Vanishings
    {
        private readonly Operation[][] _byNode;
        private readonly long[][] _applied;

        public Vanishings(IEnumerable<Operation> faults)
        {
            var lists = Enumerable.Range(0, 31).Select(_ => new List<Operation>()).ToArray();
            foreach (var fault in faults)
            {
                if (fault.Kind != OpKind.Fault || fault.LostNodes == 0 || fault.Applied == 0)
                {
                    continue;
                }

                for (var node = 0; node < 31; node++)
                {
                    if ((fault.LostNodes & (1 << node)) != 0)
                    {
                        lists[node].Add(fault);
                    }
                }
            }

            _byNode = [.. lists.Select(l => l.OrderBy(o => o.Applied).ToArray())];
            _applied = [.. _byNode.Select(a => Array.ConvertAll(a, o => o.Applied))];
            Any = _byNode.Any(a => a.Length > 0);
        }

        public bool Any { get; }

        /// <summary>The fault on <paramref name="node"/> whose start returned last strictly before <paramref name="time"/>.</summary>
        public Operation? LatestAppliedBefore(int node, long time)
        {
            var applied = _applied[node];
            int lo = 0, hi = applied.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (applied[mid] < time)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo == 0 ? null : _byNode[node][lo - 1];
        }
    }
}
