using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using TenantCache.Harness;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Soak;

/// <summary>
/// One soak run: three local nodes, the first behind a <see cref="DelayingRelay"/>, a
/// <see cref="MemcachedCacheStore"/> over them and workers doing get-or-create (85 %), sets (14.9 %)
/// and tenant invalidations (0.1 %) through the public API, with a report every
/// <see cref="SoakSettings.ReportEvery"/> seconds and at the end.
/// </summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(SoakSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var nodes = new List<MemcachedProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await MemcachedProcess.StartAsync("-m", "256"));
            }

            var delay = new ReplyDelay(settings.Latency, settings.LateEvery == 0 ? 0 : 1.0 / settings.LateEvery, settings.LateDelay);
            await using var relay = new DelayingRelay(new IPEndPoint(IPAddress.Loopback, nodes[0].Port), delay, seed: 1);
            using var telemetry = new SoakTelemetry();
            using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(telemetry));
            var servers = $"{relay.Endpoint},{nodes[1].Endpoint},{nodes[2].Endpoint}";
            var clientOptions = new MemcachedOptions { Servers = servers, OperationTimeout = settings.OperationTimeout };
            var names = new[] { $"node0 {nodes[0].Endpoint} (slow: {delay})", $"node1 {nodes[1].Endpoint}", $"node2 {nodes[2].Endpoint}" };
            var sampler = new SoakSampler(nodes, names, telemetry, relay);
            await sampler.StartAsync();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"soak: {settings.Seconds:F0} s, {settings.Workers} workers, {settings.Tenants} tenants x {settings.Keys} keys, OperationTimeout {settings.OperationTimeout.TotalMilliseconds:F0} ms, client via {servers}"));
            foreach (var name in names)
            {
                output.WriteLine("  " + name);
            }

            var counts = new SoakCounts();
            var stopwatch = Stopwatch.StartNew();
            await using (var store = new MemcachedCacheStore(clientOptions, loggerFactory))
            {
                var cache = new ApplicationCache(store, new TenantCacheOptions { Application = "soak" }, loggerFactory.CreateLogger<ApplicationCache>());
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stop.CancelAfter(TimeSpan.FromSeconds(settings.Seconds));
                var workers = Enumerable.Range(0, settings.Workers)
                    .Select(i => Task.Run(() => WorkAsync(cache, settings, counts, new Random(i), stop.Token), CancellationToken.None))
                    .ToArray();
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.ReportEvery));
                var all = Task.WhenAll(workers);
                while (!all.IsCompleted)
                {
                    var tick = timer.WaitForNextTickAsync(CancellationToken.None).AsTask();
                    if (await Task.WhenAny(all, tick) == tick && !all.IsCompleted)
                    {
                        output.WriteLine(await sampler.LineAsync(stopwatch.Elapsed, counts));
                    }
                }

                await all;
            }

            output.WriteLine("end:");
            output.WriteLine(await sampler.LineAsync(stopwatch.Elapsed, counts));
            output.WriteLine(sampler.Totals(counts));
            return counts.Unexpected > 0 ? 1 : 0;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task WorkAsync(ApplicationCache cache, SoakSettings settings, SoakCounts counts, Random random, CancellationToken stop)
    {
        var padding = new string('x', 100);
        while (!stop.IsCancellationRequested)
        {
            var tenant = cache.Tenant(string.Create(CultureInfo.InvariantCulture, $"t{random.Next(settings.Tenants)}"));
            var key = string.Create(CultureInfo.InvariantCulture, $"k{random.Next(settings.Keys)}");
            var roll = random.Next(1000);
            try
            {
                if (roll < 850)
                {
                    await tenant.GetOrCreateAsync(key, _ =>
                    {
                        Interlocked.Increment(ref counts.FactoryCalls);
                        return ValueTask.FromResult(key + padding);
                    }, cancellationToken: CancellationToken.None);
                    Interlocked.Increment(ref counts.GetOrCreates);
                }
                else if (roll < 999)
                {
                    await tenant.SetAsync(key, key + padding, cancellationToken: CancellationToken.None);
                    Interlocked.Increment(ref counts.Sets);
                }
                else
                {
                    Interlocked.Increment(ref counts.Invalidations);
                    await tenant.InvalidateAsync(CancellationToken.None);
                }
            }
            catch (CacheInvalidationException)
            {
                Interlocked.Increment(ref counts.FailedInvalidations);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Reads and writes fail open: anything else is a finding.
                if (Interlocked.Increment(ref counts.Unexpected) <= 3)
                {
                    await Console.Error.WriteLineAsync($"soak: unexpected {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
    }
}

/// <summary>What the workers did, counted by the soak itself.</summary>
internal sealed class SoakCounts
{
    public long GetOrCreates;
    public long FactoryCalls;
    public long Sets;
    public long Invalidations;
    public long FailedInvalidations;
    public long Unexpected;

    public long Operations => Interlocked.Read(ref GetOrCreates) + Interlocked.Read(ref Sets) + Interlocked.Read(ref Invalidations);
}
