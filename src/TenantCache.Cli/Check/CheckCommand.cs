using System.CommandLine;
using TenantCache.Cli.Check;

namespace TenantCache.Cli;

/// <summary>
/// <c>tenantcache check</c>: a randomized, concurrent checker of the invariants of DESIGN.md
/// (docs/guarantees.md). Exits 0 when no violation was found, 1 when some were or when too few
/// operations reached the store to judge anything (<see cref="CheckSummary.Insufficient"/>), 2 on bad options.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "How long the workers run.", DefaultValueFactory = _ => 10 };
        var workers = new Option<int>("--workers") { Description = "Concurrent workers.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random choices (default: random, printed)." };
        var apps = new Option<int>("--apps") { Description = "Applications sharing the store.", DefaultValueFactory = _ => 2 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants per application.", DefaultValueFactory = _ => 3 };
        var subScopes = new Option<int>("--subscopes") { Description = "Sub-scopes per tenant.", DefaultValueFactory = _ => 2 };
        var keys = new Option<int>("--keys") { Description = "Keys per scope.", DefaultValueFactory = _ => 8 };
        var tags = new Option<int>("--tags") { Description = "Tags per application (0-8).", DefaultValueFactory = _ => 3 };
        var clients = new Option<int>("--clients") { Description = "Cache instances per application over the shared store (like processes).", DefaultValueFactory = _ => 2 };
        var faults = new Option<string>("--faults")
        {
            Description = "Faults to inject, comma-separated: none, restart, pause, kill, relay, slow, evict, all. " +
                "Faults run on memcached: on the checker's own local processes (--nodes, 3 by default), or, for 'relay' and 'slow' only, on loopback --servers; " +
                "restart, pause and kill (all) run on the checker's own Redis too (--redis-local).",
            DefaultValueFactory = _ => "none",
        };
        var show = new Option<int>("--show") { Description = "Violations to print with their histories.", DefaultValueFactory = _ => 5 };
        var servers = new Option<string?>("--servers") { Description = "Run on this memcached cluster, host:port[:weight],... (no process control: only the 'relay' and 'slow' faults). Without it: the in-process store, or local nodes with --nodes or faults.", HelpName = "list" };
        var redis = new Option<string?>("--redis") { Description = "Run on this Redis (standalone or cluster): a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379 (no process control: no faults).", HelpName = "configuration" };
        var redisLocal = new Option<int?>("--redis-local") { Description = "Start Redis on loopback and run on it: 1 for a standalone server, 3-9 for a Redis Cluster of that many primaries; faults restart, pause, kill (all)." };
        var nodes = new Option<int?>("--nodes") { Description = "Start this many local memcached processes on loopback and run on them (default 3 when faults are asked for)." };
        var noJudge = new Option<bool>("--no-judge") { Description = "Keep no history (for long load runs): only exceptions (I5) and returned values (I2) are checked, as they happen." };
        var reportEvery = new Option<double>("--report-every") { Description = "Print memory, GC heap and socket counts every this many seconds (0: never)." };
        var tokenWindow = CliOptions.TokenWindow("of every simulated process");
        var mixedWindows = new Option<bool>("--mixed-windows") { Description = "Give the processes different token windows (0, 50, 200, 1000 ms, default) and add a clear-like process (300 ms) that only invalidates." };
        var legacyReaders = new Option<bool>("--legacy-readers") { Description = "Add processes of an older version (a store without CAS or flags: no token reuse, blind invalidation) that only read and write." };
        var localCopy = new Option<bool>("--local-copy") { Description = "Turn the in-process value copy on in every process (LocalCopy.Enabled: entries marked, copies validated by CAS)." };
        var noLeases = new Option<bool>("--no-leases") { Description = "Turn recompute leases off in every process (Leases.Enabled = false): no fleet-wide single flight, no stale values served." };

        var command = new Command("check", "Run random concurrent operations and judge every read against the invariants (docs/guarantees.md).");
        foreach (var option in new Option[] { seconds, workers, seed, apps, tenants, subScopes, keys, tags, clients, faults, show, servers, redis, redisLocal, nodes, noJudge, reportEvery, tokenWindow, mixedWindows, legacyReaders, localCopy, noLeases })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new CheckOptions
            {
                Seconds = parseResult.GetValue(seconds),
                Workers = parseResult.GetValue(workers),
                Apps = parseResult.GetValue(apps),
                Tenants = parseResult.GetValue(tenants),
                SubScopes = parseResult.GetValue(subScopes),
                Keys = parseResult.GetValue(keys),
                Tags = parseResult.GetValue(tags),
                Clients = parseResult.GetValue(clients),
                Faults = CheckOptions.ParseFaults(parseResult.GetValue(faults)),
                Show = parseResult.GetValue(show),
                Servers = parseResult.GetValue(servers),
                Redis = parseResult.GetValue(redis),
                RedisLocal = parseResult.GetValue(redisLocal),
                Nodes = parseResult.GetValue(nodes),
                NoJudge = parseResult.GetValue(noJudge),
                ReportEvery = parseResult.GetValue(reportEvery),
                TokenWindow = CheckOptions.ParseWindow(parseResult.GetValue(tokenWindow)),
                MixedWindows = parseResult.GetValue(mixedWindows),
                LegacyReaders = parseResult.GetValue(legacyReaders),
                LocalCopy = parseResult.GetValue(localCopy),
                Leases = !parseResult.GetValue(noLeases),
                TagShortLivedKeys = true,
            };
            if (parseResult.GetValue(seed) is { } chosen)
            {
                options.Seed = chosen;
            }

            return await RunAsync(options, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Runs a check on what <paramref name="options"/> asks for: the in-process store, a given
    /// memcached cluster (<see cref="CheckOptions.Servers"/>), local memcached processes the checker
    /// starts and always stops (<see cref="CheckOptions.LocalNodes"/>), a given Redis, or local Redis
    /// processes (<see cref="CheckOptions.RedisLocal"/>), with the faults asked for.
    /// </summary>
    public static async Task<int> RunAsync(CheckOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Validate() is { } problem)
        {
            await error.WriteLineAsync("tenantcache check: " + problem);
            return 2;
        }

        CheckCluster? cluster;
        CheckRedis? localRedis = null;
        try
        {
            cluster = await CheckCluster.StartAsync(options);
            localRedis = options.RedisLocal is null ? null : await CheckRedis.StartAsync(options);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync("tenantcache check: " + ex.Message);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync("tenantcache check: " + ex.Message);
            return 2;
        }

        await using (cluster)
        await using (localRedis)
        {
            var target = cluster?.Target(options) ?? localRedis?.Target(options) ?? (options.Redis is { } redisConfiguration ? CheckTarget.OnRedis(redisConfiguration) : CheckTarget.InProcess());
            return await RunAsync(options, target, output, error, cluster, cancellationToken);
        }
    }

    /// <summary>Runs a check and prints its report; returns the exit code (0 clean, 1 violations or too few operations served, 2 bad options).</summary>
    public static Task<int> RunAsync(CheckOptions options, CheckTarget target, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(options, target, output, error, cluster: null, cancellationToken);

    private static async Task<int> RunAsync(CheckOptions options, CheckTarget target, TextWriter output, TextWriter error, CheckCluster? cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Validate() is { } problem)
        {
            await error.WriteLineAsync("tenantcache check: " + problem);
            return 2;
        }

        await output.WriteLineAsync(options.Describe(target));
        await output.FlushAsync(cancellationToken);
        var runner = new CheckRunner(options, target)
        {
            Sample = async (seconds, ops) =>
            {
                await output.WriteLineAsync(await CheckSampling.SampleLineAsync(seconds, ops, cluster));
                await output.FlushAsync(CancellationToken.None);
            },
        };
        var result = await runner.RunAsync(cancellationToken);
        result.Summary.Write(output, result, options.Show);
        await output.FlushAsync(CancellationToken.None);
        if (result.Summary.Violations > 0)
        {
            return 1;
        }

        if (result.Summary.Insufficient is { } reason)
        {
            await error.WriteLineAsync("check failed: " + reason + ".");
            return 1;
        }

        return 0;
    }
}
