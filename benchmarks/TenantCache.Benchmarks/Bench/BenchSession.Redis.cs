using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TenantCache.Harness;

namespace TenantCache.Benchmarks.Bench;

// bench --engine redis: the same load runner, rounds, clear cost and tables over one Redis, then the
// output-cache tag eviction (BenchSession.Eviction.cs).
internal static partial class BenchSession
{
    private const string RedisCacheLabel = "RedisCache (Microsoft.Extensions.Caching.StackExchangeRedis 10.0)";

    private static async Task<BenchReport?> RunRedisAsync(BenchConfig config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        RedisProcess? local = null;
        var configuration = config.Redis;
        if (string.IsNullOrWhiteSpace(configuration))
        {
            local = await RedisProcess.StartAsync();
            configuration = local.Endpoint;
            await error.WriteLineAsync($"Started a local {local}.");
        }

        try
        {
            ConnectionMultiplexer connection;
            try
            {
                connection = await ConnectionMultiplexer.ConnectAsync(configuration);
            }
            catch (Exception ex) when (ex is RedisException or ArgumentException)
            {
                await error.WriteLineAsync($"Cannot reach Redis: {ex.Message}");
                return null;
            }

            await using var ownedConnection = connection;
            var endpoints = connection.GetEndPoints();
            var version = connection.GetServer(endpoints[0]).Version.ToString();
            var report = NewReport(
                config,
                new BenchMachine(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, null, version),
                string.Join(',', endpoints.Select(HostAndPort)),
                local is not null);
            var contenders = await CreateContendersAsync(RedisContenders(connection, configuration), config.Contenders, report, error);
            await using var disposeAll = new AsyncDisposables(contenders);
            var progress = new BenchProgress(error, TotalSteps(config, contenders.Count) + EvictionSteps(config));

            // Every contender with a clear: on Redis they all clear in O(1) (a token, a tag's expiration).
            var clearMeasured = contenders.Where(c => c.HasTenantClear).ToList();
            await MeasureAsync(config, contenders, clearMeasured, report, progress, cancellationToken);
            report.Eviction = await RunRedisEvictionAsync(config, configuration, progress);
            progress.Done();
            await WriteReportAsync(config, report, started, output, error, cancellationToken);
            return report;
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The Redis contenders, all over one connection: raw and TenantCache directly, FusionCache and
    /// HybridCache through one <see cref="RedisCache"/> given that connection. FusionCache's backplane
    /// connects on its own (<paramref name="configuration"/>), one connection per instance.
    /// </summary>
    private static (string Name, Func<Contender> Create)[] RedisContenders(ConnectionMultiplexer connection, string configuration)
    {
        // Not disposed: RedisCache closes the connection it was given when disposed, and the run owns it.
#pragma warning disable CA2000
        var distributed = new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection),
        }));
#pragma warning restore CA2000
        return
        [
            (RawContender.ContenderName, () => new RedisRawContender(connection.GetDatabase())),
            (TenantCacheContender.ContenderName, () => TenantCacheContender.Default(connection)),
            (TenantCacheContender.NoReuseName, () => TenantCacheContender.NoReuse(connection)),
            ("fusion-backplane", () => new FusionCacheContender(distributed, FusionLevels.Backplane, RedisCacheLabel, configuration)),
            ("fusion-dist", () => new FusionCacheContender(distributed, FusionLevels.Distributed, RedisCacheLabel)),
            ("hybrid-dist", () => new HybridCacheContender(distributed, localDisabled: true, RedisCacheLabel)),
            ("hybrid-default", () => new HybridCacheContender(distributed, localDisabled: false, RedisCacheLabel)),
        ];
    }

    private static string HostAndPort(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };
}
