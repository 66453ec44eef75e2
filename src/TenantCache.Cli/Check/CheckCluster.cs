using System.Globalization;
using System.Net;
using TenantCache.Harness;
using TenantCache.Harness.Faults;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;

namespace TenantCache.Cli.Check;

/// <summary>
/// The memcached side of a checker run: either a given cluster (<c>--servers</c>, no process control)
/// or memcached processes the checker starts itself on free loopback ports, plus a relay in front of
/// every node when the <c>relay</c> fault is asked for, a delaying relay in front of the first node
/// when <c>slow</c> is, and the faults. Disposing it stops the faults,
/// the relays and the processes it started, whatever happened.
/// </summary>
internal sealed partial class CheckCluster : IAsyncDisposable
{
    private readonly List<MemcachedProcess> _nodes = [];
    private readonly List<TcpRelay> _relays = [];
    private readonly List<IFault> _faults = [];

    private CheckCluster()
    {
    }

    /// <summary>The processes the checker started (empty with <c>--servers</c>).</summary>
    public IReadOnlyList<MemcachedProcess> Nodes => _nodes;

    /// <summary>The relays in front of the nodes (empty without the <c>relay</c> fault).</summary>
    public IReadOnlyList<TcpRelay> Relays => _relays;

    public IReadOnlyList<IFault> Faults => _faults;

    /// <summary>The delaying relay in front of the first node (only with the <c>slow</c> fault).</summary>
    public DelayingRelay? SlowRelay { get; private set; }

    /// <summary>The servers the memcached nodes listen on.</summary>
    public string DirectServers { get; private set; } = "";

    /// <summary>The server list the checked client uses (the relays' when there are relays).</summary>
    public string ClientServers { get; private set; } = "";

    /// <summary>Whether the nodes run under eviction pressure.</summary>
    public bool Evicting { get; private set; }

    /// <summary>Memory of each local node under eviction pressure (MiB).</summary>
    public const int EvictMemoryMb = 8;

    /// <summary>The largest padding of values under eviction pressure (bytes).</summary>
    public const int EvictMaxPadding = 24 * 1024;

    /// <summary>Starts what <paramref name="options"/> asks for; null when it asks for the in-process store.</summary>
    public static async Task<CheckCluster?> StartAsync(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = options.ExpandedFaults;
        if (options.Servers is null && options.LocalNodes == 0)
        {
            return null;
        }

        var cluster = new CheckCluster();
        try
        {
            cluster.Evicting = faults.Contains("evict");
            if (cluster.Evicting)
            {
                // Large values, so that the little memory fills and items of every size are evicted.
                options.MaxPadding = Math.Max(options.MaxPadding, EvictMaxPadding);
            }

            if (options.Servers is not null)
            {
                cluster.DirectServers = string.Join(',', CliOptions.ParseServers(options.Servers).Select(e => e.ToString()));
            }
            else
            {
                string[] args = cluster.Evicting ? ["-m", EvictMemoryMb.ToString(CultureInfo.InvariantCulture)] : [];
                for (var i = 0; i < options.LocalNodes; i++)
                {
                    cluster._nodes.Add(await MemcachedProcess.StartAsync(args));
                }

                cluster.DirectServers = string.Join(',', cluster._nodes.Select(n => n.Endpoint));
            }

            cluster.ClientServers = faults.Contains("relay") || faults.Contains("slow")
                ? await cluster.StartRelaysAsync(faults, options)
                : cluster.DirectServers;

            var picker = new NodePicker(cluster._nodes, unchecked(options.Seed ^ 0x0DE5));
            foreach (var fault in faults)
            {
                cluster._faults.Add(fault switch
                {
                    "restart" => new RestartFault(picker),
                    "pause" => new PauseFault(picker, options.OperationTimeout * 3),
                    "kill" => new KillFault(picker),
                    "relay" => new RelayFault(cluster._relays),
                    "slow" => new SlowFault(cluster.SlowRelay!, SlowDelay(options)),
                    "evict" => new EvictFault(cluster.DirectServers, options.Seed),
                    _ => throw new ArgumentException($"unknown fault '{fault}'"),
                });
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The client options the checked store uses: short timeouts, so faults are felt (and recovered from) quickly.</summary>
    public MemcachedOptions ClientOptions(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MemcachedOptions
        {
            Servers = ClientServers,
            OperationTimeout = options.OperationTimeout,
            ConnectTimeout = options.OperationTimeout,
            RetryDelay = TimeSpan.FromMilliseconds(500),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
        };
    }

    /// <summary>The target of the run: a memcached store over <see cref="ClientServers"/> (one per run, disposed by the runner) and the faults.</summary>
    public CheckTarget Target(CheckOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var clientOptions = ClientOptions(options);
        var name = _nodes.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"memcached x{_nodes.Count} local{(Evicting ? $" -m {EvictMemoryMb}" : "")}{(_relays.Count > 0 ? " via relays" : "")}{(SlowRelay is null ? "" : " (first node via a delaying relay)")} {ClientServers}")
            : $"memcached {ClientServers}{(_relays.Count > 0 ? $" via relays to {DirectServers}" : "")}";
        var placement = _nodes.Count > 0
            ? new TokenPlacement(ServerEndpoint.ParseList(ClientServers), () => [.. _nodes.Select(n => n.ProcessId)])
            : null;
        return new CheckTarget(name, () => new MemcachedCacheStore(clientOptions, loggerFactory), _faults, StoreMayLoseEntries: Evicting, placement);
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

            if (fault is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        if (SlowRelay is not null)
        {
            await SlowRelay.DisposeAsync();
            SlowRelay = null;
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _faults.Clear();
        _relays.Clear();
        _nodes.Clear();
    }
}
