using TenantCache.Cli;
using TenantCache.Cli.Check;
using TenantCache.Harness;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>The checker on real Redis (standalone and a 3-primary cluster, started here): leases and stale reads on, no faults.</summary>
[Collection(nameof(TenantCache.Tests.Redis.Infrastructure.RedisClusterCollection))]
public sealed class RedisCheckTests(ITestOutputHelper output)
{
    private static CheckOptions Options(double seconds, string redis) => new()
    {
        Seconds = seconds,
        Workers = 8,
        Seed = 20261201,
        Faults = CheckOptions.ParseFaults("none"),
        Redis = redis,
        TagShortLivedKeys = true,
    };

    private async Task<CheckResult> RunAsync(CheckOptions options)
    {
        Assert.Null(options.Validate());
        var target = CheckTarget.OnRedis(options.Redis!);
        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));
        return result;
    }

    private static void AssertClean(CheckResult result)
    {
        var s = result.Summary;
        Assert.True(s.Violations == 0, ReportText.Of(result));
        Assert.All(result.Caches.SelectMany(app => app), cache => Assert.True(((TenantCache.Internal.IEngineScope)cache).Engine.UsesLeases)); // the engine's default on Redis
        Assert.True(s.Stale.Results > 0 && s.Stale.Judged > 0, $"stale results={s.Stale}");
        Assert.True(s.Reads >= 1_500 && s.Invalidations >= 50, s.Line);
        Assert.True(s.Accounting!.Mean <= 1.2, s.Accounting.Line(s.MeterTakeovers));
    }

    [Fact]
    public async Task Ten_seconds_on_a_local_redis_with_leases_and_stale_reads_hold_every_invariant()
    {
        await using var server = await RedisProcess.StartAsync();
        AssertClean(await RunAsync(Options(10, server.Endpoint)));
    }

    [Fact]
    public async Task Eight_seconds_on_a_three_primary_redis_cluster_hold_every_invariant()
    {
        await using var cluster = await RedisCluster.StartAsync(3);
        AssertClean(await RunAsync(Options(8, cluster.Configuration)));
    }

    [Fact]
    public void Redis_excludes_memcached_targets_and_faults_and_its_password_is_never_printed()
    {
        Assert.NotNull(new CheckOptions { Redis = "127.0.0.1:6379", Nodes = 3 }.Validate());
        Assert.NotNull(new CheckOptions { Redis = "127.0.0.1:6379", Faults = CheckOptions.ParseFaults("restart") }.Validate());
        var options = new CheckOptions { Redis = "127.0.0.1:6379,password=s3cret,ssl=true" };
        Assert.Null(options.Validate());
        var described = options.Describe(CheckTarget.OnRedis(options.Redis));
        Assert.DoesNotContain("s3cret", described, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:6379", described, StringComparison.Ordinal);
    }
}
