using System.Diagnostics;

namespace TenantCache.Cli.Check;

// A get-or-create of the workload: a policy drawn (strict, stale allowed, fail-safe, timeouts), a factory
// that is sometimes slow or fails, and the outcome the engine reports.
internal sealed partial class Worker
{
    private async Task GetOrCreateAsync(Operation op, ICacheScope scope, string key, int padding, CancellationToken cancellationToken)
    {
        var policyIndex = PickPolicy(Workspace.IsShortLived(op.Entry));
        var policy = _space.Policies[policyIndex];
        op.StaleFor = policy.StaleFor;
        op.FailSafeFor = policy.FailSafeFor;
        op.HardTimeout = policy.HardTimeout;
        op.Lifetime = policy.Lifetime ?? _options.EntryLifetime;

        var delayMs = 0;
        if (policy.SlowChance > 0 && _random.NextDouble() < policy.SlowChance)
        {
            delayMs = _random.Next(GetOrCreatePolicy.SlowFactory.MinMs, GetOrCreatePolicy.SlowFactory.MaxMs + 1);
        }
        else if (_random.NextDouble() < _options.SlowFactory)
        {
            delayMs = _random.Next(1, 6);
        }

        var fails = policy.FailChance > 0 && _random.NextDouble() < policy.FailChance;
        var entry = op.Entry;
        var activity = _space.Activity;
        op.Start = Stopwatch.GetTimestamp();
        var result = await scope.GetOrCreateWithOutcomeAsync(
            key,
            async ct =>
            {
                // May run after the call returned (a stale value served, a soft timeout): the run waits for it.
                using var running = activity.FactoryStarted();
                op.FactoryStart = Stopwatch.GetTimestamp();
                op.WriteId = NextWriteId();
                op.FactoryRan = true;
                try
                {
                    if (delayMs > 0)
                    {
                        await Task.Delay(delayMs, ct);
                    }

                    if (fails)
                    {
                        throw new CheckFactoryException();
                    }

                    return ValueCodec.Encode(entry, op.WriteId, padding);
                }
                finally
                {
                    op.FactoryEnd = Stopwatch.GetTimestamp();
                }
            },
            _space.GetOrCreateOptions(policyIndex, op.TagMask),
            cancellationToken);
        op.End = Stopwatch.GetTimestamp();
        op.Outcome = result.Outcome;
        RecordValue(op, result.Value);
        op.Hit = result.Outcome != GetOrCreateOutcome.Computed || op.RawValue is not null || op.ReturnedWriteId != op.WriteId;
    }

    /// <summary>A policy of the key's kind (short-lived or not), by weight; any policy when there is none of that kind.</summary>
    private int PickPolicy(bool shortLived)
    {
        var policies = _space.Policies;
        var kind = policies.Any(p => p.ShortLived == shortLived);
        var total = 0;
        foreach (var policy in policies)
        {
            total += !kind || policy.ShortLived == shortLived ? policy.Weight : 0;
        }

        var draw = _random.Next(total);
        for (var i = 0; i < policies.Count; i++)
        {
            if ((!kind || policies[i].ShortLived == shortLived) && (draw -= policies[i].Weight) < 0)
            {
                return i;
            }
        }

        return policies.Count - 1;
    }
}
