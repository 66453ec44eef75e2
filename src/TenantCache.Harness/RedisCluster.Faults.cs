using System.Globalization;
using System.Text;

namespace TenantCache.Harness;

// What fault injection needs of a cluster: nodes whose restart waits for the cluster, where each slot lives.
public sealed partial class RedisCluster
{
    private IReadOnlyList<ILocalServer>? _faultTargets;

    /// <summary>
    /// The nodes as fault targets: kill, pause and resume act on the process; a restart relaunches it empty on
    /// the same port in the same directory — so with the same <c>nodes.conf</c>: the node keeps its id and its
    /// slots and rejoins (a node started without it would come back as a stranger owning no slot) — and returns
    /// once the node reports <c>cluster_state:ok</c> again.
    /// </summary>
    public IReadOnlyList<ILocalServer> FaultTargets => _faultTargets ??= [.. Nodes.Select(n => new ClusterNode(n))];

    /// <summary>The index in <see cref="Nodes"/> of the primary that serves each of the 16,384 slots (-1: none), as <c>CLUSTER NODES</c> on the first node tells.</summary>
    public async Task<int[]> SlotOwnersAsync()
    {
        var (code, text) = await RunCliAsync(["-p", Nodes[0].Port.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"redis-cli cluster nodes failed ({code}): {text}");
        }

        var owners = Enumerable.Repeat(-1, SlotCount).ToArray();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // <id> <ip:port@cport> <flags> <primary> <ping> <pong> <epoch> <link> <slot or range>...
            var fields = line.Split(' ');
            var node = fields.Length > 8 ? IndexOf(fields[1].Split('@')[0]) : -1;
            foreach (var range in fields.Skip(8).Where(f => node >= 0 && !f.StartsWith('[')))
            {
                var bounds = range.Split('-');
                var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
                var last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
                Array.Fill(owners, node, first, last - first + 1);
            }
        }

        return owners;
    }

    /// <summary>Slots of a Redis Cluster.</summary>
    public const int SlotCount = 16384;

    /// <summary>The slot of <paramref name="key"/>: CRC16 (XMODEM) of its UTF-8 bytes, or of its hash tag (the text between the first <c>{</c> and the next <c>}</c>, when not empty), modulo 16,384.</summary>
    public static int HashSlot(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        var span = bytes.AsSpan();
        var open = span.IndexOf((byte)'{');
        if (open >= 0 && span[(open + 1)..].IndexOf((byte)'}') is var close and > 0)
        {
            span = span.Slice(open + 1, close);
        }

        var crc = 0;
        foreach (var b in span)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return (crc & 0xFFFF) % SlotCount;
    }

    private int IndexOf(string endpoint)
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i].Endpoint == endpoint)
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task WaitUntilOkAsync(RedisProcess node)
    {
        var until = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            var (_, info) = await RunCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false);
            if (info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"The restarted cluster node {node.Endpoint} did not report cluster_state:ok within {ReadyTimeout}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>A node as a fault target: its restart also waits for it to rejoin the cluster.</summary>
    private sealed class ClusterNode(RedisProcess process) : ILocalServer
    {
        public string Endpoint => process.Endpoint;

        public int? ProcessId => process.ProcessId;

        public void Kill() => process.Kill();

        public void Pause() => process.Pause();

        public void Resume() => process.Resume();

        public async Task RestartAsync()
        {
            await process.RestartAsync().ConfigureAwait(false);
            await WaitUntilOkAsync(process).ConfigureAwait(false);
        }

        public override string ToString() => "cluster node " + process;
    }
}
