using TenantCache.Cli;
using TenantCache.Cli.Check;
using TenantCache.Harness;
using TenantCache.Harness.Faults;
using Xunit.Abstractions;

namespace TenantCache.Tests.Check;

/// <summary>
/// The checker on real Redis (standalone and a 3-primary cluster): on servers started here, leases and stale
/// reads on, no faults; and on the checker's own Redis (<c>--redis-local</c>) with restart, pause and kill.
/// </summary>
[Collection(nameof(TenantCache.Tests.Redis.Infrastructure.RedisClusterCollection))]
public sealed class RedisCheckTests(ITestOutputHelper output)
{
    private static CheckOptions Options(double seconds, string? redis) => new()
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

    [Fact]
    public async Task Twelve_seconds_on_the_checkers_own_redis_with_restarts_pauses_and_kills_hold_every_invariant()
    {
        var (result, faults) = await RunLocalAsync(Faulty(12, redisLocal: 1));
        AssertCleanUnderFaults(result, faults);
    }

    [Fact]
    public async Task Fifteen_seconds_on_the_checkers_own_three_primary_cluster_with_restarts_pauses_and_killed_primaries_hold_every_invariant()
    {
        var (result, faults) = await RunLocalAsync(Faulty(15, redisLocal: 3));
        AssertCleanUnderFaults(result, faults);
    }

    [Fact]
    public void Redis_local_takes_one_or_three_to_nine_nodes_and_only_the_faults_that_run_on_redis()
    {
        var cluster = new CheckOptions { RedisLocal = 3, Faults = CheckOptions.ParseFaults("all") };
        Assert.Null(cluster.Validate());
        Assert.Equal(["restart", "pause", "kill"], cluster.ExpandedFaults);
        Assert.Equal(0, cluster.LocalNodes); // no memcached started beside it
        Assert.Contains("--redis-local 3", cluster.CommandLine(), StringComparison.Ordinal);
        Assert.Null(new CheckOptions { RedisLocal = 1 }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 2 }.Validate()); // a cluster needs 3 primaries
        Assert.NotNull(new CheckOptions { RedisLocal = 0 }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 1, Faults = CheckOptions.ParseFaults("relay") }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 1, Faults = CheckOptions.ParseFaults("evict") }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 1, Redis = "127.0.0.1:6379" }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 1, Nodes = 3 }.Validate());
        Assert.NotNull(new CheckOptions { RedisLocal = 1, Servers = "127.0.0.1:11211" }.Validate());
    }

    [Fact]
    public async Task The_command_starts_its_own_redis_injects_a_fault_and_stops_the_server_at_the_end()
    {
        var options = Faulty(4, redisLocal: 1);
        options.Faults = CheckOptions.ParseFaults("restart");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CheckCommand.RunAsync(options, stdout, stderr);
        output.WriteLine(stdout.ToString());
        Assert.True(code == 0, stderr.ToString());
        var text = stdout.ToString();
        var endpoint = System.Text.RegularExpressions.Regex.Match(text, @"store=redis local 127\.0\.0\.1:(\d+) ");
        Assert.True(endpoint.Success, text);
        Assert.Matches(@"faults=[1-9]\d* violations=0", text);
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync("127.0.0.1", int.Parse(endpoint.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))); // stopped
    }

    /// <summary>
    /// A run with every Redis fault. The seed's fault sequence (seeded, one at a time) is pause (short), restart,
    /// pause (long), kill, ... so each kind comes within the run, and both lengths of pause.
    /// </summary>
    private static CheckOptions Faulty(double seconds, int redisLocal)
    {
        var options = Options(seconds, redis: null);
        options.Seed = 20261206;
        options.RedisLocal = redisLocal;
        options.Faults = CheckOptions.ParseFaults("all");
        return options;
    }

    private async Task<(CheckResult Result, IReadOnlyList<IFault> Faults)> RunLocalAsync(CheckOptions options)
    {
        Assert.Null(options.Validate());
        await using var redis = await CheckRedis.StartAsync(options);
        var target = redis.Target(options);
        var result = await new CheckRunner(options, target).RunAsync();
        output.WriteLine(options.Describe(target));
        output.WriteLine(ReportText.Of(result));
        return (result, [.. target.Faults]); // a copy: disposing the Redis side clears its list
    }

    private static void AssertCleanUnderFaults(CheckResult result, IReadOnlyList<IFault> faults)
    {
        var s = result.Summary;
        Assert.True(s.Violations == 0, ReportText.Of(result));
        Assert.True(s.Insufficient is null, s.Insufficient);
        Assert.True(result.Verdict.TokenLossJudged, "I4 was not judged: the checker did not know where the tokens live"); // placement by node (slot owner on the cluster)
        Assert.True(s.Reads >= 400 && s.Invalidations >= 20, s.Line);
        var injected = result.History.Operations.Where(o => o.Kind == OpKind.Fault).ToList();
        Assert.All(injected, o => Assert.True(o.Status is OpStatus.Ok or OpStatus.Cancelled, o.Error));
        Assert.True(s.Faults > 0, s.Line);
        foreach (var kind in CheckOptions.RedisFaults)
        {
            Assert.True(injected.Any(o => o.Error == kind && o.Status == OpStatus.Ok), $"no {kind} fault was injected: {string.Join(", ", injected.Select(o => o.Error))}");
        }

        Assert.True(injected.Any(o => o.LostNodes != 0), "no fault emptied a node"); // restart and kill empty one: the judge saw it
        var pause = Assert.Single(faults.OfType<TimedPauseFault>());
        Assert.True(pause.ShortPauses > 0 && pause.LongPauses > 0, $"short pauses={pause.ShortPauses} long pauses={pause.LongPauses}");
    }
}
