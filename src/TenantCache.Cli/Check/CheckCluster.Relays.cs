using System.Net;
using TenantCache.Harness.Relays;
using TenantCache.Memcached;

namespace TenantCache.Cli.Check;

// The relays between the checked client and the nodes, for the 'relay' and 'slow' faults.
internal sealed partial class CheckCluster
{
    /// <summary>
    /// What <c>slow</c> does while on: one reply in ten (with the replies behind it) held twice the
    /// client's operation timeout, so those requests time out while the node stays up and executes them.
    /// </summary>
    public static ReplyDelay SlowDelay(CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ReplyDelay(TimeSpan.Zero, LateFraction: 0.1, LateDelay: options.OperationTimeout * 2);
    }

    /// <summary>Starts the relays the faults need; returns the server list through them.</summary>
    private async Task<string> StartRelaysAsync(IReadOnlyList<string> faults, CheckOptions options)
    {
        // The client's path to each node: [relay (resets) →] [delaying relay (slow, first node only) →] node.
        var paths = new List<IPEndPoint>();
        foreach (var endpoint in ServerEndpoint.ParseList(DirectServers))
        {
            var address = IPAddress.TryParse(endpoint.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(endpoint.Host)).FirstOrDefault(IPAddress.IsLoopback);
            if (address is null || !IPAddress.IsLoopback(address))
            {
                throw new CliUsageException($"--servers: the 'relay' and 'slow' faults put relays on 127.0.0.1 in front of loopback servers only; {endpoint} is not one.");
            }

            paths.Add(new IPEndPoint(address, endpoint.Port));
        }

        if (faults.Contains("slow"))
        {
            SlowRelay = new DelayingRelay(paths[0], ReplyDelay.None, options.Seed);
            paths[0] = new IPEndPoint(IPAddress.Loopback, SlowRelay.Port);
        }

        if (faults.Contains("relay"))
        {
            var seed = options.Seed;
            foreach (var path in paths)
            {
                _relays.Add(new TcpRelay(path, unchecked(seed++)));
            }

            paths = [.. _relays.Select(r => new IPEndPoint(IPAddress.Loopback, r.Port))];
        }

        return string.Join(',', paths.Select(p => $"127.0.0.1:{p.Port}"));
    }
}
