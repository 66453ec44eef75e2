using System.CommandLine;
using System.Text.Json;
using TenantCache.Benchmarks.Bench;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// <c>fleet [--processes 8] [--nodes 3] [--seconds 20] [--callers 16] [--tenants 200] [--window both]</c>:
/// P processes of this binary read one application's warm keys on N local memcached nodes, once
/// per window; each node's share of the keys shows the hot application token (Δ = 0) and its cure.
/// </summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var processes = new Option<int>("--processes") { Description = "Worker processes (each its own client and cache).", DefaultValueFactory = _ => 8 };
        var nodes = new Option<int>("--nodes") { Description = "Local memcached nodes.", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per window.", DefaultValueFactory = _ => 20 };
        var callers = new Option<int>("--callers") { Description = "Concurrent callers per process.", DefaultValueFactory = _ => 16 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants of the one application.", DefaultValueFactory = _ => 200 };
        var keys = new Option<int>("--keys") { Description = "Warm keys per tenant.", DefaultValueFactory = _ => 20 };
        var setPercent = new Option<int>("--set-percent") { Description = "Percent of operations that are sets.", DefaultValueFactory = _ => 2 };
        var window = new Option<string>("--window") { Description = "Token reuse window: both (Δ = 0, then the default), default, or milliseconds (0–1000).", DefaultValueFactory = _ => "both" };
        var json = new Option<FileInfo?>("--json") { Description = "Write machine-readable results to this file." };
        var command = new Command("fleet", "Run P processes reading one application's keys on N local memcached nodes and report each node's share, with and without token reuse.");
        foreach (var option in new Option[] { processes, nodes, seconds, callers, tenants, keys, setPercent, window, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (p, cancellationToken) =>
        {
            var settings = new FleetSettings
            {
                Processes = p.GetValue(processes),
                Nodes = p.GetValue(nodes),
                Seconds = p.GetValue(seconds),
                Callers = p.GetValue(callers),
                Tenants = p.GetValue(tenants),
                Keys = p.GetValue(keys),
                SetPercent = p.GetValue(setPercent),
                Windows = FleetSettings.ParseWindow(p.GetValue(window)!),
                JsonFile = p.GetValue(json),
            };
            if (settings.Validate() is { } problem)
            {
                throw new BenchUsageException(problem);
            }

            if (!MemcachedProcess.IsInstalled)
            {
                await Console.Error.WriteLineAsync("fleet starts local memcached nodes, but no memcached binary was found. " + MemcachedProcess.InstallHint);
                return 1;
            }

            FleetReport report;
            try
            {
                report = await FleetRun.RunAsync(settings, Console.Out, Console.Error, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // A worker or a node that did not start or did not answer: already stopped, with the others.
                await Console.Error.WriteLineAsync($"{BenchCli.Name} fleet: {ex.Message}");
                return 1;
            }

            if (settings.JsonFile is not null)
            {
                await File.WriteAllTextAsync(settings.JsonFile.FullName, JsonSerializer.Serialize(report, FleetJson.Indented), cancellationToken);
                await Console.Error.WriteLineAsync($"Wrote {settings.JsonFile.FullName}.");
            }

            return 0;
        });
        return command;
    }
}
