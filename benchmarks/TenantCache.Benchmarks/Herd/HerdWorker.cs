using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TenantCache.Benchmarks.Fleet;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// The hidden <c>herd-worker</c> command: one process of a herd run. It warms up (round 0) and prints
/// <c>ready</c>; then, in lockstep with the coordinator, for each line on standard input:
/// <c>arm R</c> starts the callers of round R (the factory now computes round R's values) and answers
/// <c>armed R</c>; <c>cleared R T0 T1</c> (the coordinator cleared the tenant between those Stopwatch
/// timestamps) or <c>clear R</c> (clear it here, on this process's instance) lets the callers read until
/// T0 + the window, then answers <c>round {json}</c>; <c>end</c> exits. It never outlives its parent:
/// the end of standard input, or its own deadline, ends the process.
/// </summary>
internal static class HerdWorker
{
    public const string CommandName = "herd-worker";

    public static Command Create()
    {
        var server = new Option<string>("--server") { Required = true };
        var contender = new Option<string>("--contender") { Required = true };
        var run = new Option<string>("--run") { Required = true };
        var index = new Option<int>("--index");
        var callers = new Option<int>("--callers") { Required = true };
        var keys = new Option<int>("--keys") { Required = true };
        var factoryMs = new Option<int>("--factory-ms") { Required = true };
        var windowMs = new Option<int>("--window-ms") { Required = true };
        var clears = new Option<int>("--clears") { Required = true };
        var command = new Command(CommandName, "One process of a herd run (started by herd).") { Hidden = true };
        foreach (var option in new Option[] { server, contender, run, index, callers, keys, factoryMs, windowMs, clears })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (p, _) =>
        {
            var settings = new HerdSettings
            {
                Callers = p.GetValue(callers),
                Keys = p.GetValue(keys),
                FactoryMs = p.GetValue(factoryMs),
                WindowMs = p.GetValue(windowMs),
                Clears = p.GetValue(clears),
            };
            return await RunAsync(p.GetValue(server)!, p.GetValue(contender)!, p.GetValue(run)!, p.GetValue(index), settings);
        });
        return command;
    }

    private static async Task<int> RunAsync(string server, string name, string run, int index, HerdSettings settings)
    {
        // Never outlive the run by much, whatever happens to the parent.
        var bound = TimeSpan.FromSeconds(60 + (settings.Clears * ((settings.WindowMs / 1000.0) + 60)));
        _ = Task.Delay(bound).ContinueWith(_ => Environment.Exit(4), TaskScheduler.Default);
        await using var client = new MemcachedClient(new MemcachedOptions { Servers = server, OperationTimeout = TimeSpan.FromSeconds(5) });
        await using var contender = HerdContender.Create(name, client, run);
        using var takeovers = new LeaseTakeovers();
        var load = new HerdLoad(contender, settings.Keys, settings.Callers, settings.FactoryMs, index);

        // Warm-up: JIT, connections, and round 0's values in the cache before the first clear.
        load.Start(0);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(500, 4 * settings.FactoryMs)));
        await load.StopAt(Stopwatch.GetTimestamp());
        await WriteLineAsync("ready");

        var takeoversBefore = 0L;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            var round = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            switch (parts[0])
            {
                case "arm":
                    takeoversBefore = takeovers.Count;
                    load.Start(round);

                    // The herd is reading before the clear: let every caller get going.
                    await Task.Delay(100);
                    await WriteLineAsync($"armed {round}");
                    break;
                case "cleared":
                    var (t0, t1) = (long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
                    await FinishAsync(load, settings, round, index, t0, t1, takeovers, takeoversBefore, null);
                    break;
                case "clear":
                    var start = Stopwatch.GetTimestamp();
                    string? clearError = null;
                    try
                    {
                        await contender.ClearAsync();
                    }
                    catch (Exception ex)
                    {
                        clearError = $"clear failed: {ex.GetType().Name}: {ex.Message}";
                    }

                    await FinishAsync(load, settings, round, index, start, Stopwatch.GetTimestamp(), takeovers, takeoversBefore, clearError);
                    break;
                case "end":
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"herd-worker: unknown line '{line}'.");
                    return 3;
            }
        }

        // Standard input closed before "end": the parent is gone.
        return 3;
    }

    private static async Task FinishAsync(
        HerdLoad load, HerdSettings settings, int round, int index, long clearStart, long clearEnd, LeaseTakeovers takeovers, long takeoversBefore, string? clearError)
    {
        var (callers, runs) = await load.StopAt(clearStart + (long)(settings.WindowMs / 1000.0 * Stopwatch.Frequency));
        var result = HerdRoundResult.Summarize(round, index, settings.Keys, callers, runs, clearStart, clearEnd, settings.FactoryMs, (takeovers.Exists, takeovers.Count - takeoversBefore));
        if (clearError is not null)
        {
            result = result with { Errors = result.Errors + 1, FirstError = clearError };
        }

        await WriteLineAsync("round " + JsonSerializer.Serialize(result, FleetJson.Options));
    }

    private static async Task WriteLineAsync(string line)
    {
        await Console.Out.WriteLineAsync(line);
        await Console.Out.FlushAsync();
    }
}
