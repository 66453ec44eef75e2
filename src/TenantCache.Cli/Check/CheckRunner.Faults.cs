using System.Diagnostics;

namespace TenantCache.Cli.Check;

// Sampling and fault injection while the workers run.
internal sealed partial class CheckRunner
{
    private async Task SampleAsync(long origin, Worker[] workers, StreamVerdict? stream, CancellationToken cancellationToken)
    {
        if (Sample is null || !(_options.ReportEvery > 0))
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReportEvery));
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var ops = stream?.Ops ?? workers.Sum(w => (long)w.Operations.Count);
                await Sample(Stopwatch.GetElapsedTime(origin).TotalSeconds, ops);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Injects the target's faults one at a time, at random moments, until the deadline; each becomes a Fault operation.</summary>
    private async Task InjectFaultsAsync(long deadline, List<Operation> record, CancellationToken cancellationToken)
    {
        if (_target.Faults.Count == 0)
        {
            return;
        }

        var random = new Random(unchecked(_options.Seed ^ 0x5EED));
        while (!cancellationToken.IsCancellationRequested)
        {
            var pause = TimeSpan.FromMilliseconds(random.Next(500, 2000));
            var hold = TimeSpan.FromMilliseconds(random.Next(300, 1500));
            if (Stopwatch.GetTimestamp() + ((pause + hold).TotalSeconds * Stopwatch.Frequency) >= deadline)
            {
                return;
            }

            var fault = _target.Faults[random.Next(_target.Faults.Count)];
            var op = new Operation { Kind = OpKind.Fault, Worker = -1, Error = fault.Name };
            try
            {
                await Task.Delay(pause, cancellationToken);
                var before = _target.Placement?.ProcessIds();
                op.Start = Stopwatch.GetTimestamp();
                record.Add(op);
                await fault.StartAsync(cancellationToken);
                op.Applied = Stopwatch.GetTimestamp();
                if (before is not null)
                {
                    // Which nodes it emptied: killed, or restarted on the same port with nothing in it.
                    op.LostNodes = TokenPlacement.Emptied(before, _target.Placement!.ProcessIds());
                }

                await Task.Delay(hold, cancellationToken);
                op.Status = OpStatus.Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                op.Status = OpStatus.Cancelled;
            }
            catch (Exception ex)
            {
                op.Status = OpStatus.Threw;
                op.Error = $"{fault.Name} failed to start: {ex.GetType().Name}: {ex.Message}";
            }
            finally
            {
                if (op.Start != 0)
                {
                    // Always restore, even when the run is being cancelled.
                    await fault.StopAsync(CancellationToken.None);
                    op.End = Stopwatch.GetTimestamp();
                }
            }
        }
    }
}
