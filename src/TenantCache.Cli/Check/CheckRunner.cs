using System.Diagnostics;
using TenantCache.Stores;

namespace TenantCache.Cli.Check;

/// <summary>The outcome of a run: its history, the judge's verdict and the summary.</summary>
internal sealed record CheckResult(CheckOptions Options, History History, Verdict Verdict, CheckSummary Summary)
{
    /// <summary>Per simulated process: its window, its reads that reused tokens, its invalidations.</summary>
    public ProcessTally? Tally { get; init; }

    /// <summary>The caches of the run, [application][process] (their engines are gone with the run's store).</summary>
    public IReadOnlyList<IReadOnlyList<ITenantCache>> Caches { get; init; } = [];
}

/// <summary>
/// Runs the checker: workers doing random operations against caches over one store (from
/// <see cref="CheckTarget.StoreFactory"/>), faults from <see cref="CheckTarget.Faults"/> injected one at a time
/// meanwhile, then the <see cref="Judge"/> over the recorded history.
/// </summary>
internal sealed partial class CheckRunner
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
        var processes = CheckProcess.Plan(_options);
        var census = new KeyCensus();
        var activity = new StoreActivity();
        using var meter = new LeaseMeter(_options.ApplicationPrefix);
        var caches = Caches(store, processes, census, activity, logger);
        var tally = new ProcessTally(processes, [.. processes.Select(p => p.ExpectedWindow(store))]);
        var stream = _options.NoJudge ? new StreamVerdict(Math.Max(50, _options.Show)) : null;
        var space = new Workspace(_options, caches)
        {
            Stream = stream,
            Tally = tally,
            ReadWriters = [.. processes.Where(p => p.ReadsAndWrites).Select(p => p.Index)],
            Invalidators = [.. processes.Where(p => p.Invalidates).Select(p => p.Index)],
            LeasingProcesses = [.. processes.Select(p => TakesLeases(p, store))],
            Activity = activity,
        };
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
        var quiet = await activity.QuiesceAsync(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));

        var history = new History(origin);
        history.AddRange(workers.SelectMany(w => w.Operations).Concat(faultOps).OrderBy(o => o.Start));

        var evicted = store is MemoryCacheStore memory && memory.Evictions > 0;
        var placementProblem = _target.Placement is null ? "" : TokenPlacement.Verify(_options, census.Keys);
        var tokenNodes = _target.Placement is { } placement && placementProblem is null
            ? NodesOfVersionKeys(placement)
            : null;
        var judging = Stopwatch.GetTimestamp();
        var verdict = stream?.Verdict
            ?? Judge.Run(history, checkLocality: LocalityPhase && !evicted && !cancellationToken.IsCancellationRequested, keep: Math.Max(50, _options.Show), tokenNodes, StoreClock(store));
        var judged = Stopwatch.GetElapsedTime(judging);
        var faults = faultOps.Count(o => o.Status == OpStatus.Ok);
        var summary = stream is null
            ? CheckSummary.From(history, verdict, faults, logger, elapsed)
            : stream.Summary(faults, logger, elapsed);
        summary.LeaseMeterLine = meter.Line();
        summary.MeterTakeovers = meter.Count(LeaseMeter.Takeovers);
        summary.Accounting = stream is null ? FactoryAccounting.Of(history) : null;
        if (!quiet)
        {
            summary.Notes.Add("background recomputes were still running 10 s after the workers stopped: the history may miss their write-backs");
        }

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

        AddProcessNotes(summary, verdict, tally, store, placementProblem);
        return new CheckResult(_options, history, verdict, summary) { Tally = tally, Caches = caches };
    }

    /// <summary>The judge's <c>tokenNodes</c>: the nodes of a value's version keys, computed once per (location, tags).</summary>
    private Func<Location, int, int> NodesOfVersionKeys(TokenPlacement placement)
    {
        var masks = new System.Collections.Concurrent.ConcurrentDictionary<(Location, int), int>();
        return (location, tags) => masks.GetOrAdd((location, tags), k => placement.NodeMask(_options, k.Item1, k.Item2));
    }

    /// <summary>The per-process lines, the token reuse seen, and whether I4 was judged.</summary>
    private static void AddProcessNotes(CheckSummary summary, Verdict verdict, ProcessTally tally, ICacheStore store, string? placementProblem)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var line in tally.Lines(p => p.Label(store)))
        {
            summary.Notes.Add("process " + line);
        }

        summary.Notes.Add(string.Create(inv, $"token reuse: {tally.ReusedReads} of {tally.WindowReads} reads by processes with a window read no version key"));
        if (tally.ReuseShare(MinimumWindow, MinimumWindowReads) is { } share && share < MinimumReuseShare)
        {
            // Without a window a read still finds a token now and then (a fetch sent after it began, shared): 0.1-2 % seen.
            summary.ReuseProblem = string.Create(
                inv,
                $"only {share:P1} of the reads by processes with a token window of {MinimumWindow.TotalMilliseconds:F0} ms or more reused tokens: the window is off (a store without ICasCacheStore, or a wrapper that hides it?)");
        }

        summary.Notes.Add(verdict.TokenLossJudged
            ? string.Create(inv, $"I4: {verdict.HitsOnVanishedTokens} hits on a value stamped with a vanished token within Δ_max of its loss (allowed); later ones are violations")
            : placementProblem switch
            {
                "" or null => "I4: judged through I1 only (no local nodes: where tokens live and when they vanish is unknown)",
                var problem => "I4: not judged: " + problem,
            });
    }

    /// <summary>Below this many reads by processes with a window, a run without reuse is not suspicious.</summary>
    public const int MinimumWindowReads = 1000;

    /// <summary>The windows a run expects to see reused (shorter ones may be eaten by the engine's margin for clock drift).</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromMilliseconds(50);

    /// <summary>Below this share of token-free reads, the window is considered off.</summary>
    public const double MinimumReuseShare = 0.05;
}
