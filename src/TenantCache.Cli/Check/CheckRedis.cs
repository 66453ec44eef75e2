using System.Globalization;
using TenantCache.Harness;
using TenantCache.Harness.Faults;
using TenantCache.Redis;

namespace TenantCache.Cli.Check;

/// <summary>
/// The Redis side of a checker run with <c>--redis-local N</c>: a standalone server (N = 1) or a Redis Cluster
/// of N primaries that the checker starts on free loopback ports (no persistence, no replicas), and the faults
/// on them. The cluster runs with <c>cluster-require-full-coverage no</c>, so that a killed primary takes only
/// its own slots down (the default stops the whole cluster), and a node timeout of 1 s, so that a kill is noticed
/// within a short run. Disposing it stops the faults and the processes, whatever happened.
/// </summary>
internal sealed class CheckRedis : IAsyncDisposable
{
    /// <summary>The cluster's node timeout (ms): a node unreachable this long is marked failed.</summary>
    public const int ClusterNodeTimeoutMs = 1000;

    private readonly List<IFault> _faults = [];
    private RedisProcess? _server;
    private RedisCluster? _cluster;
    private TokenPlacement? _placement;

    private CheckRedis()
    {
    }

    /// <summary>The processes the checker started (one, or the cluster's primaries).</summary>
    public IReadOnlyList<RedisProcess> Nodes => _cluster?.Nodes ?? (_server is null ? [] : [_server]);

    public IReadOnlyList<IFault> Faults => _faults;

    /// <summary>The nodes' endpoints, comma-separated.</summary>
    public string Endpoints => string.Join(',', Nodes.Select(n => n.Endpoint));

    /// <summary>
    /// Starts what <paramref name="options"/> asks for (<see cref="CheckOptions.RedisLocal"/> must be set). The kill
    /// fault keeps a node down at least twice the cluster's node timeout, so the cluster marks it failed meanwhile;
    /// a pause is either half the client's operation timeout or six times it.
    /// </summary>
    public static async Task<CheckRedis> StartAsync(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var count = options.RedisLocal ?? throw new ArgumentException("--redis-local is not set", nameof(options));
        var redis = new CheckRedis();
        try
        {
            IReadOnlyList<ILocalServer> targets;
            if (count == 1)
            {
                redis._server = await RedisProcess.StartAsync();
                targets = [redis._server];
                redis._placement = new TokenPlacement(1, _ => 0, () => [redis._server.ProcessId]);
            }
            else
            {
                var timeout = ClusterNodeTimeoutMs.ToString(CultureInfo.InvariantCulture);
                redis._cluster = await RedisCluster.StartAsync(count, "--cluster-require-full-coverage", "no", "--cluster-node-timeout", timeout);
                targets = redis._cluster.FaultTargets;
                var owners = await redis._cluster.SlotOwnersAsync();
                if (owners.Contains(-1))
                {
                    throw new InvalidOperationException("the local Redis Cluster left slots unassigned");
                }

                var nodes = redis._cluster.Nodes;
                redis._placement = new TokenPlacement(nodes.Count, key => owners[RedisCluster.HashSlot(key)], () => [.. nodes.Select(n => n.ProcessId)]);
            }

            var picker = new NodePicker(targets, unchecked(options.Seed ^ 0x0DE5));
            foreach (var fault in options.ExpandedFaults)
            {
                redis._faults.Add(fault switch
                {
                    "restart" => new RestartFault(picker),
                    "pause" => new TimedPauseFault(picker, options.OperationTimeout / 2, options.OperationTimeout * 6, unchecked(options.Seed ^ 0x9A05)),
                    "kill" => new KillFault(picker, TimeSpan.FromMilliseconds(ClusterNodeTimeoutMs * 2)),
                    _ => throw new ArgumentException($"fault '{fault}' does not run on Redis"),
                });
            }

            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The client's configuration: the nodes, <c>abortConnect=false</c> (it reconnects to a restarted node by
    /// itself) and the checker's operation timeout as StackExchange.Redis's connect and command timeouts.
    /// </summary>
    public string Configuration(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ms = ((int)options.OperationTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return $"{Endpoints},abortConnect=false,connectTimeout={ms},asyncTimeout={ms},syncTimeout={ms}";
    }

    /// <summary>The target of the run: a Redis store (one per run, disposed by the runner), the faults, and where the version keys live.</summary>
    public CheckTarget Target(CheckOptions options)
    {
        var configuration = Configuration(options);
        var name = _cluster is null ? $"redis local {Endpoints}" : $"redis cluster x{Nodes.Count} local {Endpoints}";
        return new CheckTarget(name, () => new RedisCacheStore(new RedisStoreOptions { Configuration = configuration }), _faults, Placement: _placement);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var fault in _faults)
        {
            try
            {
                await fault.StopAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // Best effort: the processes are killed below anyway.
            }
        }

        _faults.Clear();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
