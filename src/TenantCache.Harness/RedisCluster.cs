using System.Diagnostics;
using System.Globalization;

namespace TenantCache.Harness;

/// <summary>
/// A local Redis Cluster of <c>N</c> primaries (no replicas, no persistence) on free loopback ports: each
/// node a <see cref="RedisProcess"/> with <c>--cluster-enabled yes</c>, the slots spread evenly by
/// <c>redis-cli --cluster create</c>; ready once every node reports <c>cluster_state:ok</c>.
/// </summary>
public sealed partial class RedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private RedisCluster(IReadOnlyList<RedisProcess> nodes) => Nodes = nodes;

    /// <summary>The primaries.</summary>
    public IReadOnlyList<RedisProcess> Nodes { get; }

    /// <summary>Every node's endpoint, comma-separated: a StackExchange.Redis configuration string.</summary>
    public string Configuration => string.Join(',', Nodes.Select(n => n.Endpoint));

    /// <summary>The redis-cli binary: $REDIS_CLI_PATH or /usr/bin/redis-cli (Debian's redis-tools).</summary>
    public static string CliPath =>
        Environment.GetEnvironmentVariable("REDIS_CLI_PATH") is { Length: > 0 } configured && File.Exists(configured) ? configured
        : File.Exists("/usr/bin/redis-cli") ? "/usr/bin/redis-cli"
        : throw new InvalidOperationException("redis-cli was not found (looked at $REDIS_CLI_PATH and /usr/bin/redis-cli). " + RedisProcess.InstallHint);

    /// <summary>Starts <paramref name="primaries"/> nodes (3 or more) and joins them into one cluster.</summary>
    /// <param name="primaries">How many primaries.</param>
    /// <param name="nodeArguments">Extra arguments of every node, after the defaults (Redis takes the last of a repeated one), e.g. <c>--cluster-require-full-coverage no</c>.</param>
    public static async Task<RedisCluster> StartAsync(int primaries = 3, params string[] nodeArguments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        var nodes = new List<RedisProcess>();
        try
        {
            for (var i = 0; i < primaries; i++)
            {
                nodes.Add(await RedisProcess.StartAsync(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000", .. nodeArguments]).ConfigureAwait(false));
            }

            var cluster = new RedisCluster(nodes);
            await cluster.CreateAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"redis cluster {Configuration}";

    private async Task CreateAsync()
    {
        var args = new List<string> { "--cluster", "create" };
        args.AddRange(Nodes.Select(n => n.Endpoint));
        args.AddRange(["--cluster-replicas", "0", "--cluster-yes"]);
        var (code, output) = await RunCliAsync(args).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({code}): {output}");
        }

        var until = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            var ready = true;
            foreach (var node in Nodes)
            {
                var (_, info) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false);
                ready &= info.Contains("cluster_state:ok", StringComparison.Ordinal);
            }

            if (ready)
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"The Redis cluster {Configuration} did not reach cluster_state:ok within {ReadyTimeout}.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<(int Code, string Output)> RunCliAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(CliPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-h");
        info.ArgumentList.Add("127.0.0.1");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not run redis-cli.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
