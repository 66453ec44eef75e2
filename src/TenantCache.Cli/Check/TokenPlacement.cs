using System.Collections.Concurrent;
using System.Globalization;
using TenantCache.Memcached;

namespace TenantCache.Cli.Check;

/// <summary>
/// Where the version tokens of a run live: which of the checker's local nodes holds each version key
/// (memcached: ketama over the servers the client uses, as the client places them; Redis Cluster: the
/// primary serving the key's slot; tokens never move on failure, I4), and the nodes' process ids, so that the runner can tell which node a fault emptied.
/// The judge's I4 rule needs both; without them (in process, <c>--servers</c>) I4 is judged by I1 alone.
/// </summary>
internal sealed class TokenPlacement
{
    private readonly Func<string, int> _locate;
    private readonly Func<int?[]> _processIds;
    private readonly ConcurrentDictionary<string, int> _nodes = new(StringComparer.Ordinal);

    /// <summary>Memcached nodes, placed by ketama.</summary>
    /// <param name="clientServers">The servers in the order the client is given them, node i behind server i.</param>
    /// <param name="processIds">The process id of every node now (null when it is down).</param>
    public TokenPlacement(IReadOnlyList<ServerEndpoint> clientServers, Func<int?[]> processIds)
        : this(clientServers?.Count ?? throw new ArgumentNullException(nameof(clientServers)), key => Ketama(clientServers, key), processIds)
    {
    }

    /// <summary>Any nodes, placed by <paramref name="locate"/>.</summary>
    /// <param name="nodeCount">How many nodes.</param>
    /// <param name="locate">The index of the node that holds a key.</param>
    /// <param name="processIds">The process id of every node now (null when it is down).</param>
    public TokenPlacement(int nodeCount, Func<string, int> locate, Func<int?[]> processIds)
    {
        ArgumentNullException.ThrowIfNull(locate);
        ArgumentNullException.ThrowIfNull(processIds);
        NodeCount = nodeCount;
        _locate = locate;
        _processIds = processIds;
    }

    public int NodeCount { get; }

    /// <summary>The index of the node that holds <paramref name="key"/>.</summary>
    public int NodeOf(string key) => _nodes.GetOrAdd(key, _locate);

    private static int Ketama(IReadOnlyList<ServerEndpoint> servers, string key)
    {
        var server = MemcachedClient.Locate(servers, key);
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i].Equals(server))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"ketama placed a key on {server}, which is not in the list");
    }

    public int?[] ProcessIds() => _processIds();

    /// <summary>The nodes whose process changed between two snapshots (killed, or restarted empty), one bit per node.</summary>
    public static int Emptied(int?[] before, int?[] after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var mask = 0;
        for (var i = 0; i < Math.Min(before.Length, after.Length) && i < 31; i++)
        {
            if (before[i] != after[i])
            {
                mask |= 1 << i;
            }
        }

        return mask;
    }

    /// <summary>
    /// The version key of a scope of the workload, as the engine lays it out (<c>{app}:v:{tenant}/{sub}</c>;
    /// the workload's names need no escaping). <see cref="Verify"/> checks the layout against the keys read.
    /// </summary>
    public static string ScopeKey(CheckOptions options, Location location)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ApplicationName(location.App) + ":v:" + location.Path;
    }

    /// <summary>The version key of an application tag: <c>{app}:t:{tag}</c>.</summary>
    public static string TagKey(CheckOptions options, int app, int tag)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(CultureInfo.InvariantCulture, $"{options.ApplicationName(app)}:t:g{tag}");
    }

    /// <summary>Every version key the workload can read.</summary>
    public static HashSet<string> AllKeys(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var app = 0; app < options.Apps; app++)
        {
            keys.Add(ScopeKey(options, new Location(app)));
            for (var t = 0; t < options.Tenants; t++)
            {
                keys.Add(ScopeKey(options, new Location(app, t)));
                for (var s = 0; s < options.SubScopes; s++)
                {
                    keys.Add(ScopeKey(options, new Location(app, t, s)));
                }
            }

            for (var g = 0; g < options.Tags; g++)
            {
                keys.Add(TagKey(options, app, g));
            }
        }

        return keys;
    }

    /// <summary>
    /// Null when every version key read in the run is one the layout predicts and some were read;
    /// otherwise why the placement cannot be trusted.
    /// </summary>
    public static string? Verify(CheckOptions options, IEnumerable<string> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var predicted = AllKeys(options);
        var count = 0;
        foreach (var key in seen)
        {
            count++;
            if (!predicted.Contains(key))
            {
                return "a version key read in the run is not laid out as the checker predicts";
            }
        }

        return count == 0 ? "no version key was read" : null;
    }

    /// <summary>The nodes that hold the version keys a value of <paramref name="location"/> written with <paramref name="tagMask"/> was stamped with.</summary>
    public int NodeMask(CheckOptions options, Location location, int tagMask)
    {
        var mask = 0;
        foreach (var target in location.EnclosingTargets())
        {
            mask |= 1 << NodeOf(ScopeKey(options, target.Location));
        }

        for (var tag = 0; tag < 31 && tagMask >> tag != 0; tag++)
        {
            if ((tagMask & (1 << tag)) != 0)
            {
                mask |= 1 << NodeOf(TagKey(options, location.App, tag));
            }
        }

        return mask;
    }
}
