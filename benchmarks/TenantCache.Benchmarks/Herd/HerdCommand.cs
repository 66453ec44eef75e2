using System.CommandLine;
using System.Text.Json;
using TenantCache.Benchmarks.Bench;
using TenantCache.Benchmarks.Fleet;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// <c>herd [--processes 4] [--callers 64] [--keys 20] [--factory-ms 50] [--clears 5] [--window-ms 2000] [--contenders ...]</c>:
/// the thundering herd after a tenant clear. P processes × C callers read one tenant's hot keys through
/// get-or-create with a slow factory; each contender's tenant is cleared several times and the report
/// gives, per contender, the factory runs per key per clear across the fleet and what readers paid.
/// </summary>
internal static class HerdCommand
{
    public static Command Create()
    {
        var defaults = new HerdSettings();
        var processes = new Option<int>("--processes") { Description = "Worker processes (each its own client and cache).", DefaultValueFactory = _ => defaults.Processes };
        var callers = new Option<int>("--callers") { Description = "Concurrent callers per process.", DefaultValueFactory = _ => defaults.Callers };
        var keys = new Option<int>("--keys") { Description = "Hot keys of the one tenant.", DefaultValueFactory = _ => defaults.Keys };
        var factoryMs = new Option<int>("--factory-ms") { Description = "How long the factory takes to compute a value.", DefaultValueFactory = _ => defaults.FactoryMs };
        var clears = new Option<int>("--clears") { Description = "Clears of the tenant per contender.", DefaultValueFactory = _ => defaults.Clears };
        var windowMs = new Option<int>("--window-ms") { Description = "How long the callers read after each clear began.", DefaultValueFactory = _ => defaults.WindowMs };
        var only = new Option<string?>("--contenders") { Description = $"Run only these contenders, comma-separated ({string.Join(", ", HerdContender.Names)})." };
        var json = new Option<FileInfo?>("--json") { Description = "Write machine-readable results to this file." };
        var command = new Command("herd", "Run P processes reading one tenant's hot keys through get-or-create with a slow factory, clear the tenant, and report factory runs per key and read latencies per contender.");
        foreach (var option in new Option[] { processes, callers, keys, factoryMs, clears, windowMs, only, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (p, cancellationToken) =>
        {
            var settings = new HerdSettings
            {
                Processes = p.GetValue(processes),
                Callers = p.GetValue(callers),
                Keys = p.GetValue(keys),
                FactoryMs = p.GetValue(factoryMs),
                Clears = p.GetValue(clears),
                WindowMs = p.GetValue(windowMs),
                Contenders = p.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? HerdContender.Names,
                JsonFile = p.GetValue(json),
            };
            if (settings.Validate() is { } problem)
            {
                throw new BenchUsageException(problem);
            }

            if (!MemcachedProcess.IsInstalled)
            {
                await Console.Error.WriteLineAsync("herd starts a local memcached, but no memcached binary was found. " + MemcachedProcess.InstallHint);
                return 1;
            }

            var report = await HerdRun.RunAsync(settings, Console.Out, Console.Error, cancellationToken);
            if (settings.JsonFile is not null)
            {
                await File.WriteAllTextAsync(settings.JsonFile.FullName, JsonSerializer.Serialize(report, FleetJson.Indented), cancellationToken);
                await Console.Error.WriteLineAsync($"Wrote {settings.JsonFile.FullName}.");
            }

            return report.Contenders.Any(c => c.Failure is not null) ? 1 : 0;
        });
        return command;
    }
}
