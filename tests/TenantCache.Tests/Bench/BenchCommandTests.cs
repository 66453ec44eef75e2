using System.Text.Json;
using TenantCache.Tests.Cli;

namespace TenantCache.Tests.Bench;

/// <summary>
/// The benchmarks project's <c>bench</c> end to end in its smallest configuration: it starts its own memcached,
/// runs every scenario and contender for a few milliseconds each, and writes sane JSON. The numbers
/// themselves are not asserted (the targets are reported by the bench, never turned into tests).
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly string[] Contenders = ["raw", "naive", "tenantcache", "tenantcache-d0", "tenantcache-copy", "fusion-dist", "fusion-hybrid", "hybrid-dist", "hybrid-default"];
    private static readonly string[] Scenarios = ["read-hit", "read-miss", "write", "mixed"];
    private static readonly int[] Callers = [1, 4];

    [Fact]
    public async Task Smallest_bench_run_writes_every_scenario_and_contender_with_sane_numbers()
    {
        var json = Path.Combine(Path.GetTempPath(), $"tenantcache-bench-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, stdout, stderr) = await CliProcess.BenchmarksAsync(
                ["bench", "--quick", "--duration", "100", "--rounds", "1", "--concurrency", "1,4", "--tenant-sizes", "1,100", "--churn-generations", "3", "--churn-entries", "50", "--json", json]);
            Assert.True(exit == 0, stderr);
            Assert.Contains("targets", stdout);
            Assert.Contains("Started a local memcached", stderr);

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = document.RootElement;
            var contenders = root.GetProperty("contenders").EnumerateArray().ToList();
            Assert.Equal(Contenders, contenders.Select(c => c.GetProperty("name").GetString()));
            Assert.All(contenders, c => Assert.True(c.GetProperty("available").GetBoolean(), c.ToString()));

            var load = root.GetProperty("load").EnumerateArray().ToList();
            foreach (var scenario in Scenarios)
            {
                foreach (var contender in Contenders)
                {
                    foreach (var callers in Callers)
                    {
                        var row = Assert.Single(load, r => r.GetProperty("scenario").GetString() == scenario
                            && r.GetProperty("contender").GetString() == contender
                            && r.GetProperty("concurrency").GetInt32() == callers);
                        var p50 = row.GetProperty("p50Us").GetDouble();
                        var p99 = row.GetProperty("p99Us").GetDouble();
                        Assert.True(p50 >= 0, row.ToString());
                        Assert.True(p99 >= p50, row.ToString());
                        Assert.True(row.GetProperty("throughputOpsPerSec").GetDouble() > 0, row.ToString());
                        Assert.True(row.GetProperty("ratioToRawP50").GetDouble() is > 0 and < double.PositiveInfinity, row.ToString());
                        Assert.True(row.GetProperty("ratioToRawThroughput").GetDouble() is > 0 and < double.PositiveInfinity, row.ToString());
                        Assert.True(row.GetProperty("maxUs").GetDouble() >= p99, row.ToString());
                        Assert.True(row.GetProperty("ops").GetInt64() > 0, row.ToString());
                        if (contender == "raw")
                        {
                            Assert.Equal(1.0, row.GetProperty("ratioToRawP50").GetDouble());
                        }

                        if (scenario == "read-hit")
                        {
                            Assert.Equal(1.0, row.GetProperty("hitRatio").GetDouble());
                        }
                        else if (scenario == "read-miss")
                        {
                            Assert.Equal(0.0, row.GetProperty("hitRatio").GetDouble());
                        }
                    }
                }
            }

            var clears = root.GetProperty("invalidation").GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(6, clears.Count); // naive, tenantcache-d0 and tenantcache, at each of the two tenant sizes
            Assert.All(clears, c => Assert.True(c.GetProperty("medianUs").GetDouble() > 0));

            var churn = root.GetProperty("churn");
            Assert.False(churn.GetProperty("skipped").GetBoolean());
            var churnRows = churn.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("contender").GetString()!);
            Assert.True(churnRows["tenantcache-d0"].GetProperty("bytes").GetInt64() > 0);
            Assert.True(churnRows["naive"].GetProperty("currItems").GetInt64() > churnRows["tenantcache-d0"].GetProperty("currItems").GetInt64());
            Assert.NotEmpty(root.GetProperty("targets").EnumerateArray());
        }
        finally
        {
            File.Delete(json);
        }
    }
}
