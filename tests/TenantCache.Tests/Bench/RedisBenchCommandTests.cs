using System.Diagnostics;
using System.Text.Json;
using TenantCache.Benchmarks.Bench;
using TenantCache.Tests.Cli;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Bench;

/// <summary>
/// <c>bench --engine redis</c> in its smallest setting, in process, against a Redis the test starts: every
/// contender measured in every scenario, the cross-instance check (TenantCache never stale; HybridCache with
/// its local cache is, so the check can see it), the clear cost, and the output-cache eviction with its
/// evicted entries missing in both stores. The numbers are not asserted: they are the bench's to report.
/// </summary>
public sealed class RedisBenchCommandTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly string[] Contenders = ["raw", "tenantcache", "tenantcache-d0", "fusion-backplane", "fusion-dist", "hybrid-dist", "hybrid-default"];
    private static readonly string[] Stores = [BenchSession.AspNetCoreRedisStore, "tenantcache", "tenantcache-d0"];
    private const int TenantSize = 20;

    [Fact]
    public async Task Smallest_redis_bench_measures_every_contender_and_tenantcache_is_never_stale()
    {
        var config = new BenchConfig
        {
            Quick = true,
            Engine = BenchEngine.Redis,
            Redis = fixture.Server.Endpoint,
            DurationMs = 50,
            Rounds = 1,
            Concurrency = [2],
            TenantSizes = [TenantSize],
            Clears = 1,
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var started = Stopwatch.GetTimestamp();

        var report = await BenchSession.RunAsync(config, stdout, stderr, CancellationToken.None);

        Assert.True(report is not null, stderr.ToString());
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the smallest setting should take seconds");
        Assert.Equal("redis", report.Engine);
        Assert.False(report.LocalServer);
        Assert.Equal(fixture.Server.Endpoint, report.Servers);
        Assert.False(string.IsNullOrEmpty(report.Machine.RedisVersion));

        Assert.Equal(Contenders, report.Contenders.Select(c => c.Name));
        Assert.All(report.Contenders, c => Assert.True(c.Available, c.Error));
        var byName = report.Contenders.ToDictionary(c => c.Name);
        Assert.Null(byName["raw"].StaleAcrossInstancesAfterTenantClear);
        Assert.False(byName["tenantcache"].StaleAcrossInstancesAfterTenantClear, byName["tenantcache"].StaleNote);
        Assert.False(byName["tenantcache-d0"].StaleAcrossInstancesAfterTenantClear, byName["tenantcache-d0"].StaleNote);
        Assert.True(byName["hybrid-default"].StaleAcrossInstancesAfterTenantClear, byName["hybrid-default"].StaleNote);
        Assert.All(report.Contenders.Skip(1), c => Assert.NotNull(c.StaleAcrossInstancesAfterTenantClear));
        Assert.Null(byName["tenantcache"].PropagationMs); // no propagation allowed: B must miss at once
        var backplane = byName["fusion-backplane"];
        Assert.True(backplane.StaleAcrossInstancesAfterTenantClear == true || backplane.PropagationMs is >= 0 and <= 1_000, backplane.StaleNote);

        foreach (var scenario in Scenarios.All)
        {
            foreach (var contender in Contenders)
            {
                var row = Assert.Single(report.Load, r => r.Scenario == scenario && r.Contender == contender && r.Concurrency == 2);
                Assert.True(row.Ops > 0 && row.ThroughputOpsPerSec > 0 && row.P50Us > 0 && row.P99Us >= row.P50Us, row.ToString());
                Assert.Equal(0, row.Errors);
                Assert.True(row.RatioToRawP50 is > 0 and < double.PositiveInfinity, row.ToString());
                if (scenario == Scenarios.ReadHit)
                {
                    Assert.Equal(1.0, row.HitRatio);
                }
                else if (scenario == Scenarios.ReadMiss)
                {
                    Assert.Equal(0.0, row.HitRatio);
                }
            }
        }

        var clears = report.Invalidation!.Results;
        Assert.Equal(Contenders.Skip(1).Order(), clears.Select(r => r.Contender).Order());
        Assert.All(clears, r => Assert.True(r.MedianUs > 0 && r.Clears == 1 && r.Entries == TenantSize, r.ToString()));

        var evictions = report.Eviction!.Results;
        Assert.Equal(Stores.Order(), evictions.Select(r => r.Contender).Order());
        Assert.All(evictions, r => Assert.True(r.EvictedEntriesMissed && r.Entries == TenantSize && r.MedianMicros > 0, r.ToString()));

        var tables = stdout.ToString();
        Assert.Contains("Redis " + report.Machine.RedisVersion, tables);
        Assert.Contains("output-cache tag eviction on Redis", tables);
        Assert.Contains("** serves STALE data on another instance after a tenant clear **", tables);
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(3, json.RootElement.GetProperty("eviction").GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("--engine", "redis", "--servers", "127.0.0.1:1")]
    [InlineData("--engine", "redis", "--rtt", "1ms")]
    [InlineData("--redis", "127.0.0.1:1")]
    [InlineData("--engine", "couchbase")]
    public async Task Options_of_the_other_engine_are_usage_errors(params string[] args)
    {
        var (exit, _, stderr) = await CliProcess.BenchmarksAsync(["bench", .. args]);
        Assert.True(exit == 2, stderr);
        Assert.Contains("bench:", stderr);
    }
}
