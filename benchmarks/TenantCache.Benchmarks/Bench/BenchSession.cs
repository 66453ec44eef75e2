using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TenantCache.Benchmarks.Bench.Rtt;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench;

/// <summary>
/// One bench run: contenders, load scenarios, clear cost, then on memcached the memory after churn and the
/// targets, on Redis the output-cache tag eviction (BenchSession.Redis.cs).
/// </summary>
internal static partial class BenchSession
{
    public static Task<BenchReport?> RunAsync(BenchConfig config, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        config.Engine == BenchEngine.Redis
            ? RunRedisAsync(config, output, error, cancellationToken)
            : RunMemcachedAsync(config, output, error, cancellationToken);

    private static async Task<BenchReport?> RunMemcachedAsync(BenchConfig config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        MemcachedProcess? local = null;
        string servers;
        if (string.IsNullOrWhiteSpace(config.Servers))
        {
            local = await MemcachedProcess.StartAsync("-m", "1024", "-t", "2");
            servers = local.Endpoint;
            await error.WriteLineAsync($"Started a local {local}.");
        }
        else
        {
            servers = string.Join(',', BenchUsageException.ParseServers(config.Servers).Select(e => $"{e.Host}:{e.Port}"));
        }

        RttRelays? relays = null;
        try
        {
            BenchRtt? rtt = null;
            var clientServers = servers;
            if (config.Rtt is { } added)
            {
                relays = RttRelays.Start(BenchUsageException.ParseServers(servers), added);
                clientServers = relays.ClientServers;
                var direct = BenchUsageException.ParseServers(servers)[0];
                var probe = await RttProbe.MedianMicrosecondsAsync(direct.Host, direct.Port, relays.FirstPort, 300, cancellationToken);
                rtt = new BenchRtt(added.TotalMicroseconds, relays.ClientServers, Math.Round(probe.Direct, 1), Math.Round(probe.Relayed, 1));
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Relays adding {RttOption.Format(added)} to every reply: {relays.ClientServers}; mn round trip median {rtt.ProbeDirectUs:F1} µs direct, {rtt.ProbeRelayedUs:F1} µs through the relay; replies held {relays.MeanLateness.TotalMicroseconds:F1} µs past due on average."));
            }

            await using var client = new MemcachedClient(new MemcachedOptions { Servers = clientServers, OperationTimeout = TimeSpan.FromSeconds(5) });
            string? version = null;
            try
            {
                var stats = await ServerStats.ReadAsync(client.Servers[0], cancellationToken);
                version = stats.TryGetValue("version", out var v) ? v : null;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException or IOException)
            {
                await error.WriteLineAsync($"Cannot reach memcached at {client.Servers[0]}: {ex.Message}");
                return null;
            }

            var report = NewReport(config, new BenchMachine(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, version), servers, local is not null);
            report.Rtt = rtt;

            var contenders = await CreateContendersAsync(MemcachedContenders(client), config.Contenders, report, error);
            await using var disposeAll = new AsyncDisposables(contenders);
            var progress = new BenchProgress(error, TotalSteps(config, contenders.Count) + 2);
            var clearMeasured = contenders.Where(c => c.Name is NaiveContender.ContenderName or TenantCacheContender.NoReuseName or TenantCacheContender.ContenderName).ToList();
            await MeasureAsync(config, contenders, clearMeasured, report, progress, cancellationToken);
            report.Churn = await RunChurnAsync(config, local is not null, progress, cancellationToken);
            progress.Done();

            if (relays is not null && report.Rtt is { } measured)
            {
                report.Rtt = measured with { MeanPastDueUs = Math.Round(relays.MeanLateness.TotalMicroseconds, 1), HeldReplies = relays.Released };
            }

            BenchTargets.Evaluate(report);
            await WriteReportAsync(config, report, started, output, error, cancellationToken);
            return report;
        }
        finally
        {
            if (relays is not null)
            {
                relays.Dispose();
            }

            if (local is not null)
            {
                await local.DisposeAsync();
            }
        }
    }

    private static BenchReport NewReport(BenchConfig config, BenchMachine machine, string servers, bool localServer)
    {
        var report = new BenchReport
        {
            Mode = config.Quick ? "quick" : "full",
            Engine = config.Engine == BenchEngine.Redis ? "redis" : "memcached",
            StartedUtc = DateTimeOffset.UtcNow,
            Machine = machine,
            Servers = servers,
            LocalServer = localServer,
            Settings = new BenchSettings(Scenarios.All, config.Concurrency, config.DurationMs, config.WarmupMs, config.Rounds, config.Tenants, config.KeysPerTenant,
                config.ValueBytes, config.TenantSizes, config.ChurnEntries, config.ChurnGenerations),
        };
        if (config.Quick)
        {
            report.Notes.Add($"Quick mode: callers {string.Join(',', config.Concurrency)}, {config.DurationMs} ms per run, {config.Rounds} rounds, clear cost for tenants of {string.Join(", ", config.TenantSizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} entries.");
        }

        return report;
    }

    /// <summary>Populate, warm up, the load scenarios in rounds, then the clear cost of every tenant size (the engine adds its own steps).</summary>
    private static int TotalSteps(BenchConfig config, int contenders) =>
        (2 * contenders) + (Scenarios.All.Length * config.Concurrency.Count * config.Rounds * contenders) + config.TenantSizes.Count;

    /// <summary>What both engines measure: populate, warm up, the load scenarios in rounds, the clear cost of <paramref name="clearMeasured"/>.</summary>
    private static async Task MeasureAsync(BenchConfig config, List<Contender> contenders, List<Contender> clearMeasured, BenchReport report, BenchProgress progress, CancellationToken cancellationToken)
    {
        var runner = new LoadRunner(config.Tenants, config.KeysPerTenant, config.ValueBytes);
        foreach (var contender in contenders)
        {
            progress.Step($"populate {contender.Name}");
            await runner.PopulateAsync(contender, cancellationToken);
        }

        // Warm every code path once (JIT tiers, connection buffers) before anything is measured:
        // reads and writes only, so the read-hit data stays in place.
        foreach (var contender in contenders)
        {
            progress.Step($"warm up {contender.Name}");
            foreach (var scenario in new[] { Scenarios.ReadHit, Scenarios.ReadMiss, Scenarios.Write })
            {
                await runner.RunAsync(contender, scenario, Math.Min(16, config.Concurrency.Max()), TimeSpan.Zero, TimeSpan.FromMilliseconds(config.Quick ? 100 : 300));
            }
        }

        await RunLoadAsync(config, contenders, runner, report, progress, cancellationToken);
        report.Invalidation = await RunInvalidationAsync(config, clearMeasured, runner, progress, cancellationToken);
    }

    /// <summary>The tables on standard output, and the <c>--json</c> file.</summary>
    private static async Task WriteReportAsync(BenchConfig config, BenchReport report, long started, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        report.ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        BenchTable.Write(report, output);
        if (config.JsonFile is not null)
        {
            await File.WriteAllTextAsync(config.JsonFile.FullName, report.ToJson(), cancellationToken);
            await error.WriteLineAsync($"Wrote {config.JsonFile.FullName}.");
        }
    }

    private sealed class AsyncDisposables(List<Contender> contenders) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var contender in contenders)
            {
                await contender.DisposeAsync();
            }
        }
    }
}
