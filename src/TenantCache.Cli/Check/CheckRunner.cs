using System.Diagnostics;
using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>The outcome of a run: its history, the judge's verdict and the summary.</summary>
internal sealed record CheckResult(CheckOptions Options, History History, Verdict Verdict, CheckSummary Summary);

/// <summary>
/// Runs the checker: workers doing random operations against caches over one store (from
/// <see cref="CheckTarget.StoreFactory"/>), faults from <see cref="CheckTarget.Faults"/> injected one at a time
/// meanwhile, then the <see cref="Judge"/> over the recorded history.
/// </summary>
internal sealed class CheckRunner
{
    private readonly CheckOptions _options;
    private readonly CheckTarget _target;

    public CheckRunner(CheckOptions options, CheckTarget target)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        _options = options;
        _target = target;
    }

    /// <summary>I3 is judged only when nothing may make a stored entry disappear: no faults, no eviction pressure.</summary>
    public bool LocalityPhase => _target.Faults.Count == 0 && !_target.StoreMayLoseEntries;

    /// <summary>Called every <see cref="CheckOptions.ReportEvery"/> seconds while the workers run, with the seconds elapsed and the operations so far.</summary>
    public Func<double, long, Task>? Sample { get; init; }

    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var store = _target.StoreFactory();
        try
        {
            return await RunAsync(store, cancellationToken);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else if (store is IDisposable plain)
            {
                plain.Dispose();
            }
        }
    }

    private async Task<CheckResult> RunAsync(ICacheStore store, CancellationToken cancellationToken)
    {
        var logger = new OperationLogger();
        var caches = new ITenantCache[_options.Apps][];
        for (var app = 0; app < _options.Apps; app++)
        {
            caches[app] = new ITenantCache[_options.Clients];
            for (var client = 0; client < _options.Clients; client++)
            {
                caches[app][client] = new ApplicationCache(
                    store,
                    new TenantCacheOptions { Application = _options.ApplicationName(app), DefaultExpiration = _options.EntryLifetime },
                    logger);
            }
        }

        var stream = _options.NoJudge ? new StreamVerdict(Math.Max(50, _options.Show)) : null;
        var space = new Workspace(_options, caches) { Stream = stream };
        var workers = Enumerable.Range(0, _options.Workers).Select(i => new Worker(i, space)).ToArray();
        var origin = Stopwatch.GetTimestamp();
        var deadline = origin + (long)(_options.Seconds * Stopwatch.Frequency);
        var faultOps = new List<Operation>();
        var running = workers.Select(w => Task.Run(() => w.RunAsync(deadline, cancellationToken), CancellationToken.None)).ToList();
        running.Add(InjectFaultsAsync(deadline, faultOps, cancellationToken));
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(origin, workers, stream, sampling.Token);
        try
        {
            await Task.WhenAll(running);
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
        }

        var elapsed = Stopwatch.GetElapsedTime(origin);

        var history = new History(origin);
        history.AddRange(workers.SelectMany(w => w.Operations).Concat(faultOps).OrderBy(o => o.Start));

        var evicted = store is MemoryCacheStore memory && memory.Evictions > 0;
        var judging = Stopwatch.GetTimestamp();
        var verdict = stream?.Verdict
            ?? Judge.Run(history, checkLocality: LocalityPhase && !evicted && !cancellationToken.IsCancellationRequested, keep: Math.Max(50, _options.Show));
        var judged = Stopwatch.GetElapsedTime(judging);
        var faults = faultOps.Count(o => o.Status == OpStatus.Ok);
        var summary = stream is null
            ? CheckSummary.From(history, verdict, faults, logger, elapsed)
            : stream.Summary(faults, logger, elapsed);
        foreach (var failed in faultOps.Where(o => o.Status == OpStatus.Threw))
        {
            summary.Notes.Add("fault " + failed.Error);
        }

        summary.Notes.Add(stream is null
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"judged in {judged.TotalSeconds:F1} s")
            : "--no-judge: no history kept; only I5 (exceptions) and I2 (returned values decode, verify and name the entry asked for) were checked, as operations ended");
        if (evicted)
        {
            summary.Notes.Add("the store evicted entries: I3 was not judged");
        }

        return new CheckResult(_options, history, verdict, summary);
    }

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
                op.Start = Stopwatch.GetTimestamp();
                record.Add(op);
                await fault.StartAsync(cancellationToken);
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
