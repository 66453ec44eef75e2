using System.CommandLine;
using TenantCache.Benchmarks.Bench;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Soak;

/// <summary>
/// <c>soak [--seconds 600] [--workers 64] ...</c>: three local memcached nodes, the first behind a
/// delaying relay that answers some replies later than the client's operation timeout, and workers
/// doing a realistic mix through the public API; reports what the library did about it over time.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "How long the workers run.", DefaultValueFactory = _ => 600 };
        var workers = new Option<int>("--workers") { Description = "Concurrent workers.", DefaultValueFactory = _ => 64 };
        var reportEvery = new Option<double>("--report-every") { Description = "Seconds between report lines.", DefaultValueFactory = _ => 30 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants the workers spread over.", DefaultValueFactory = _ => 200 };
        var keys = new Option<int>("--keys") { Description = "Keys per tenant.", DefaultValueFactory = _ => 100 };
        var timeout = new Option<int>("--timeout-ms") { Description = "The client's OperationTimeout.", DefaultValueFactory = _ => 500 };
        var lateEvery = new Option<int>("--late-every") { Description = "One reply chunk in this many from the slow node is late (0: none).", DefaultValueFactory = _ => 500 };
        var lateDelay = new Option<int>("--late-ms") { Description = "How late a late reply is.", DefaultValueFactory = _ => 1500 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every reply of the slow node.", DefaultValueFactory = _ => 0 };
        var command = new Command("soak", "Run a realistic mix for a long time against 3 local nodes, one answering some replies after the timeout, and report connections, node flaps, log lines and memory.");
        foreach (var option in new Option[] { seconds, workers, reportEvery, tenants, keys, timeout, lateEvery, lateDelay, latency })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new SoakSettings
            {
                Seconds = parseResult.GetValue(seconds),
                Workers = parseResult.GetValue(workers),
                ReportEvery = parseResult.GetValue(reportEvery),
                Tenants = parseResult.GetValue(tenants),
                Keys = parseResult.GetValue(keys),
                OperationTimeout = TimeSpan.FromMilliseconds(parseResult.GetValue(timeout)),
                LateEvery = parseResult.GetValue(lateEvery),
                LateDelay = TimeSpan.FromMilliseconds(parseResult.GetValue(lateDelay)),
                Latency = TimeSpan.FromMilliseconds(parseResult.GetValue(latency)),
            };
            if (settings.Validate() is { } problem)
            {
                throw new BenchUsageException(problem);
            }

            if (!MemcachedProcess.IsInstalled)
            {
                await Console.Error.WriteLineAsync("soak starts three local memcached processes, but no memcached binary was found. " + MemcachedProcess.InstallHint);
                return 1;
            }

            return await SoakRun.RunAsync(settings, Console.Out, cancellationToken);
        });
        return command;
    }
}

/// <summary>The settings of a soak run.</summary>
internal sealed class SoakSettings
{
    public double Seconds { get; init; } = 600;

    public int Workers { get; init; } = 64;

    public double ReportEvery { get; init; } = 30;

    public int Tenants { get; init; } = 200;

    public int Keys { get; init; } = 100;

    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    public int LateEvery { get; init; } = 500;

    public TimeSpan LateDelay { get; init; } = TimeSpan.FromMilliseconds(1500);

    public TimeSpan Latency { get; init; }

    public string? Validate() =>
        !(Seconds > 0) ? "--seconds must be positive."
        : Workers is < 1 or > 4096 ? "--workers must be between 1 and 4096."
        : !(ReportEvery > 0) ? "--report-every must be positive."
        : Tenants < 1 || Keys < 1 ? "--tenants and --keys must be positive."
        : OperationTimeout <= TimeSpan.Zero ? "--timeout-ms must be positive."
        : LateEvery < 0 || LateDelay < TimeSpan.Zero || Latency < TimeSpan.Zero ? "--late-every, --late-ms and --latency-ms must not be negative."
        : null;
}
