using System.Diagnostics;
using System.Globalization;
using TenantCache.Harness;
using TenantCache.Internal;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// One <c>fleet</c> invocation: N local memcached nodes, then for each window a fresh application
/// whose warm keys are written, P worker processes running the read-hit workload against all nodes,
/// and each node's <c>stats</c> before and after the measured time.
/// </summary>
internal static class FleetRun
{
    public static async Task<FleetReport> RunAsync(FleetSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var nodes = new List<MemcachedProcess>();
        try
        {
            for (var i = 0; i < settings.Nodes; i++)
            {
                nodes.Add(await MemcachedProcess.StartAsync("-m", "256", "-t", "1"));
            }

            var servers = string.Join(',', nodes.Select(n => n.Endpoint));
            await error.WriteLineAsync($"Started {nodes.Count} local memcached nodes: {servers}.");
            var report = new FleetReport([.. nodes.Select(n => n.Endpoint)], settings.Processes, settings.Callers, settings.Tenants, settings.Keys, settings.SetPercent, settings.Seconds, NodeCounters.Definition, []);
            FleetTable.WriteHeader(report, output);
            foreach (var window in settings.Windows)
            {
                var run = await RunWindowAsync(settings, servers, window, error, cancellationToken);
                report.Runs.Add(run);
                FleetTable.WriteRun(run, output);
            }

            FleetTable.WriteSummary(report, output);
            return report;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<FleetWindowResult> RunWindowAsync(FleetSettings settings, string servers, TimeSpan? window, TextWriter error, CancellationToken cancellationToken)
    {
        var label = window is null ? "default" : string.Create(CultureInfo.InvariantCulture, $"d{window.Value.TotalMilliseconds:F0}");
        var application = $"fleet-{label}-{Guid.NewGuid().ToString("N")[..8]}";
        await using var store = new MemcachedCacheStore(new MemcachedOptions { Servers = servers, OperationTimeout = TimeSpan.FromSeconds(5) });
        var endpoints = store.Client.Servers;

        // The warm keys, and the tokens: written by a process with this run's window, so the token
        // records carry it (a token written with Δ = 0 would keep every reader from reusing it).
        var cache = new ApplicationCache(store, new TenantCacheOptions { Application = application, TokenReuseWindow = window, DefaultExpiration = TimeSpan.FromMinutes(30) });
        var populate = Stopwatch.GetTimestamp();
        await FleetWorkload.PopulateAsync(cache, settings.Tenants, settings.Keys, cancellationToken);
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{FleetSettings.Describe(window)}: {settings.Tenants * settings.Keys:N0} warm keys of {application} written in {Stopwatch.GetElapsedTime(populate).TotalSeconds:F1} s; starting {settings.Processes} workers."));

        await using var workers = FleetWorkers.Start(settings.Processes, i => WorkerArguments(settings, servers, application, window, i));
        await workers.WaitReadyAsync(TimeSpan.FromSeconds(120), cancellationToken);
        var before = await ReadAllAsync(endpoints, cancellationToken);
        await workers.GoAsync();
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{FleetSettings.Describe(window)}: {settings.Processes} workers running for {settings.Seconds:F0} s."));
        var results = await workers.WaitResultsAsync(TimeSpan.FromSeconds(settings.Seconds + 60), cancellationToken);
        var after = await ReadAllAsync(endpoints, cancellationToken);

        var appTokenNode = IndexOf(endpoints, MemcachedClient.Locate(endpoints, ScopePath.ForApplication(application).VersionKeys[0]));
        var seconds = results.Max(r => r.Seconds);
        var nodes = endpoints.Select((e, i) =>
        {
            var d = after[i] - before[i];
            return new FleetNodeResult(i, $"{e.Host}:{e.Port}", d.Gets, d.Sets, d.Other, d.Keys, Math.Round(d.Keys / seconds), Math.Round(d.CpuSeconds, 2), i == appTokenNode);
        }).ToList();
        var fleet = new WorkerCounts(results.Sum(r => r.Reads), results.Sum(r => r.Hits), results.Sum(r => r.Sets), results.Sum(r => r.Errors), Math.Round(seconds, 2),
            FirstError: results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
        var mean = nodes.Average(n => (double)n.Keys);
        var busiest = nodes.MaxBy(n => n.Keys)!;
        return new FleetWindowResult(
            FleetSettings.Describe(window),
            window?.TotalMilliseconds,
            application,
            appTokenNode,
            nodes,
            fleet,
            Math.Round(mean),
            busiest.Node,
            Math.Round(busiest.Keys / mean, 3),
            Math.Round(nodes.Sum(n => (double)n.Keys) / Math.Max(1, fleet.Reads + fleet.Sets), 3));
    }

    private static IEnumerable<string> WorkerArguments(FleetSettings settings, string servers, string application, TimeSpan? window, int index) =>
    [
        FleetWorker.CommandName,
        "--servers", servers,
        "--application", application,
        "--window-ms", window is null ? "-1" : ((int)window.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        "--seconds", settings.Seconds.ToString(CultureInfo.InvariantCulture),
        "--callers", settings.Callers.ToString(CultureInfo.InvariantCulture),
        "--tenants", settings.Tenants.ToString(CultureInfo.InvariantCulture),
        "--keys", settings.Keys.ToString(CultureInfo.InvariantCulture),
        "--set-percent", settings.SetPercent.ToString(CultureInfo.InvariantCulture),
        "--seed", (index * 7919).ToString(CultureInfo.InvariantCulture),
    ];

    private static async Task<NodeCounters[]> ReadAllAsync(IReadOnlyList<ServerEndpoint> endpoints, CancellationToken cancellationToken) =>
        await Task.WhenAll(endpoints.Select(e => NodeCounters.ReadAsync(e, cancellationToken)));

    private static int IndexOf(IReadOnlyList<ServerEndpoint> endpoints, ServerEndpoint endpoint)
    {
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i].Equals(endpoint))
            {
                return i;
            }
        }

        return -1;
    }
}
