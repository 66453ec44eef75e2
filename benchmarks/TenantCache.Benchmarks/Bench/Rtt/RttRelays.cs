using System.Net;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>
/// <c>--rtt</c>: one <see cref="LatencyRelay"/> on loopback in front of each memcached server, holding
/// every reply for the asked time, so every round trip of every memcached-backed contender grows by it. The
/// contenders' client gets <see cref="ClientServers"/>; stats and the churn servers stay direct.
/// </summary>
internal sealed class RttRelays : IDisposable
{
    private readonly List<LatencyRelay> _relays;

    private RttRelays(TimeSpan added, List<LatencyRelay> relays, string clientServers)
    {
        Added = added;
        _relays = relays;
        ClientServers = clientServers;
    }

    /// <summary>The time added to every reply.</summary>
    public TimeSpan Added { get; }

    /// <summary>The relays' endpoints, in the order of the servers they front, as <c>MemcachedOptions.Servers</c> takes them.</summary>
    public string ClientServers { get; }

    /// <summary>Starts a relay in front of each of <paramref name="servers"/>, which must be loopback addresses.</summary>
    public static RttRelays Start(IReadOnlyList<ServerEndpoint> servers, TimeSpan added)
    {
        var upstreams = servers.Select(s => IPAddress.TryParse(s.Host == "localhost" ? "127.0.0.1" : s.Host, out var ip) && IPAddress.IsLoopback(ip)
            ? new IPEndPoint(ip, s.Port)
            : throw new BenchUsageException($"--rtt: the relay only fronts loopback servers, and {s.Host}:{s.Port} is not one (run without --servers, or give 127.0.0.1 servers).")).ToList();
        var relays = upstreams.Select(u => new LatencyRelay(u, added)).ToList();
        return new RttRelays(added, relays, string.Join(',', relays.Select(r => r.Endpoint)));
    }

    /// <summary>The first relay's port (for the round-trip probe).</summary>
    public int FirstPort => _relays[0].Port;

    /// <summary>Reply chunks held so far, over all relays.</summary>
    public long Released => _relays.Sum(r => r.Released);

    /// <summary>The mean lateness of a held chunk (after its due time), over all relays.</summary>
    public TimeSpan MeanLateness
    {
        get
        {
            var released = Released;
            return released == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(_relays.Sum(r => r.MeanLateness.Ticks * r.Released) / released);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var relay in _relays)
        {
            relay.Dispose();
        }
    }
}
