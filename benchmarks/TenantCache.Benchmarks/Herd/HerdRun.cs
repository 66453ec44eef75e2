using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TenantCache.Benchmarks.Fleet;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// One <c>herd</c> invocation: a local memcached, then for each contender a fresh tenant and P worker
/// processes hammering its hot keys, and <c>--clears</c> rounds of arm, clear, read the window, report.
/// </summary>
internal static class HerdRun
{
    public static async Task<HerdReport> RunAsync(HerdSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var node = await MemcachedProcess.StartAsync("-m", "64", "-t", "1");
        await error.WriteLineAsync($"Started a local memcached: {node.Endpoint}.");
        await using var client = new MemcachedClient(new MemcachedOptions { Servers = node.Endpoint, OperationTimeout = TimeSpan.FromSeconds(5) });
        var report = new HerdReport(node.Endpoint, settings.Processes, settings.Callers, settings.Keys, settings.FactoryMs, settings.Clears, settings.WindowMs, Environment.ProcessorCount, []);
        HerdTable.WriteHeader(report, output);
        foreach (var name in settings.Contenders)
        {
            var result = await RunContenderAsync(settings, name, node.Endpoint, client, error, cancellationToken);
            report.Contenders.Add(result);
            HerdTable.WriteRow(result, output);
        }

        HerdTable.WriteNotes(report, output);
        return report;
    }

    private static async Task<HerdContenderResult> RunContenderAsync(
        HerdSettings settings, string name, string server, MemcachedClient client, TextWriter error, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var contender = HerdContender.Create(name, client, run);
        try
        {
            await using var workers = FleetWorkers.Start(settings.Processes, i => WorkerArguments(settings, server, name, run, i));
            await workers.WaitLinesAsync("ready", "get ready", TimeSpan.FromSeconds(120), cancellationToken);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {settings.Processes} workers warm; {settings.Clears} clears of {contender.Tenant}, {(contender.ClearIsFleetWide ? "each made once by the coordinator" : "each made by every worker on its own instance")}."));
            var rounds = new List<HerdRoundResult>();
            for (var round = 1; round <= settings.Clears; round++)
            {
                await workers.SendAsync(string.Create(CultureInfo.InvariantCulture, $"arm {round}"));
                await workers.WaitLinesAsync(string.Create(CultureInfo.InvariantCulture, $"armed {round}"), "start a round", TimeSpan.FromSeconds(30), cancellationToken);
                if (contender.ClearIsFleetWide)
                {
                    var start = Stopwatch.GetTimestamp();
                    await contender.ClearAsync();
                    await workers.SendAsync(string.Create(CultureInfo.InvariantCulture, $"cleared {round} {start} {Stopwatch.GetTimestamp()}"));
                }
                else
                {
                    await workers.SendAsync(string.Create(CultureInfo.InvariantCulture, $"clear {round}"));
                }

                var lines = await workers.WaitLinesAsync("round ", "report a round", TimeSpan.FromMilliseconds(settings.WindowMs) + TimeSpan.FromSeconds(60), cancellationToken);
                rounds.AddRange(lines.Select(l => JsonSerializer.Deserialize<HerdRoundResult>(l, FleetJson.Options)!));
            }

            await workers.SendAsync("end");
            return HerdContenderResult.From(contender, rounds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A worker that did not start or answer, or a clear that threw: this contender's row says so, the others still run.
            await error.WriteLineAsync($"{name}: {ex.Message}");
            return HerdContenderResult.Failed(contender, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IEnumerable<string> WorkerArguments(HerdSettings settings, string server, string contender, string run, int index) =>
    [
        HerdWorker.CommandName,
        "--server", server,
        "--contender", contender,
        "--run", run,
        "--index", index.ToString(CultureInfo.InvariantCulture),
        "--callers", settings.Callers.ToString(CultureInfo.InvariantCulture),
        "--keys", settings.Keys.ToString(CultureInfo.InvariantCulture),
        "--factory-ms", settings.FactoryMs.ToString(CultureInfo.InvariantCulture),
        "--window-ms", settings.WindowMs.ToString(CultureInfo.InvariantCulture),
        "--clears", settings.Clears.ToString(CultureInfo.InvariantCulture),
    ];
}
