using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// The hidden <c>fleet-worker</c> command: one process of the fleet. It warms up, prints
/// <c>ready</c>, waits for <c>go</c> on standard input, runs the read-hit workload (reads of warm
/// keys, a few sets) for the given time, prints <c>result {json}</c> and exits. It never outlives its
/// parent: end of standard input, or its own deadline (run time + 2 minutes), ends the process.
/// </summary>
internal static class FleetWorker
{
    public const string CommandName = "fleet-worker";

    public static Command Create()
    {
        var servers = new Option<string>("--servers") { Required = true };
        var application = new Option<string>("--application") { Required = true };
        var windowMs = new Option<int>("--window-ms") { Description = "-1: the default window." };
        var seconds = new Option<double>("--seconds") { Required = true };
        var callers = new Option<int>("--callers") { Required = true };
        var tenants = new Option<int>("--tenants") { Required = true };
        var keys = new Option<int>("--keys") { Required = true };
        var setPercent = new Option<int>("--set-percent");
        var seed = new Option<int>("--seed");
        var command = new Command(CommandName, "One process of a fleet run (started by fleet).") { Hidden = true };
        foreach (var option in new Option[] { servers, application, windowMs, seconds, callers, tenants, keys, setPercent, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (p, _) =>
        {
            var window = p.GetValue(windowMs) is var ms && ms < 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(ms);
            return await RunAsync(p.GetValue(servers)!, p.GetValue(application)!, window, p.GetValue(seconds), p.GetValue(callers), p.GetValue(tenants), p.GetValue(keys), p.GetValue(setPercent), p.GetValue(seed));
        });
        return command;
    }

    private static async Task<int> RunAsync(string servers, string application, TimeSpan? window, double seconds, int callers, int tenants, int keys, int setPercent, int seed)
    {
        // Never outlive the run by much, whatever happens to the parent.
        _ = Task.Delay(TimeSpan.FromSeconds(seconds + 120)).ContinueWith(_ => Environment.Exit(4), TaskScheduler.Default);
        await using var store = new MemcachedCacheStore(new MemcachedOptions { Servers = servers, OperationTimeout = TimeSpan.FromSeconds(5) });
        var cache = new ApplicationCache(store, new TenantCacheOptions
        {
            Application = application,
            TokenReuseWindow = window,
            DefaultExpiration = TimeSpan.FromMinutes(30),
            ThrowOnStoreErrors = true,
        });
        var workload = new FleetWorkload(cache, tenants, keys, setPercent);
        await workload.RunAsync(callers, TimeSpan.FromSeconds(1), seed + 1_000_000);
        await Console.Out.WriteLineAsync("ready");
        await Console.Out.FlushAsync();
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 3;
        }

        // The parent keeps standard input open until the end: its end means the parent is gone.
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            Environment.Exit(3);
        });

        var started = Stopwatch.GetTimestamp();
        var counts = await workload.RunAsync(callers, TimeSpan.FromSeconds(seconds), seed);
        var result = counts with { Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds, Pid = Environment.ProcessId };
        await Console.Out.WriteLineAsync("result " + JsonSerializer.Serialize(result, FleetJson.Options));
        await Console.Out.FlushAsync();
        return 0;
    }
}

/// <summary>What one worker did in its measured run.</summary>
internal sealed record WorkerCounts(long Reads, long Hits, long Sets, long Errors, double Seconds = 0, int Pid = 0, string? FirstError = null)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Reads} reads, {Hits} hits, {Sets} sets, {Errors} errors in {Seconds:F1} s");
}
