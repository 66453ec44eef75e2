using System.Net;
using System.Net.Sockets;

namespace TenantCache.Benchmarks.Bench.Rtt;

/// <summary>
/// A loopback TCP relay in front of one server that holds every server-to-client chunk for a fixed
/// <see cref="Latency"/> (counted from when it was read), in order, with microsecond precision, so the
/// client's round trip grows by that amount. Requests go through as they come. Unlike the harness's
/// <c>DelayingRelay</c> (timer-based, whole milliseconds, for faults and timeouts) it runs each
/// connection on dedicated threads with blocking sockets and <see cref="PreciseWait"/>: it is for
/// sub-millisecond latencies. Memory is bounded: each connection holds at most
/// <see cref="MaxQueuedChunks"/> chunks of at most 16 KiB, then stops reading (TCP backpressure).
/// </summary>
internal sealed partial class LatencyRelay : IDisposable
{
    /// <summary>Chunks a connection may hold back at once.</summary>
    public const int MaxQueuedChunks = 256;

    private const int ChunkBytes = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly long _latencyTicks;
    private readonly Thread _accepting;
    private readonly Lock _lock = new();
    private readonly List<Connection> _connections = [];
    private volatile bool _stopping;
    private long _released;
    private long _lateTicks;

    /// <summary>Starts listening on a free 127.0.0.1 port, relaying to <paramref name="upstream"/>, a loopback server.</summary>
    public LatencyRelay(IPEndPoint upstream, TimeSpan latency)
    {
        if (!IPAddress.IsLoopback(upstream.Address))
        {
            throw new ArgumentException("The relay only fronts loopback servers.", nameof(upstream));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        _upstream = upstream;
        Latency = latency;
        _latencyTicks = (long)(latency.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = new Thread(AcceptLoop) { IsBackground = true, Name = $"relay :{Port} accept" };
        _accepting.Start();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as the client's server list takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>What every reply chunk is held for.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Reply chunks sent so far.</summary>
    public long Released => Interlocked.Read(ref _released);

    /// <summary>How long after its due time a chunk went out, on average (the relay's own imprecision).</summary>
    public TimeSpan MeanLateness => Released == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _lateTicks) / Released);

    /// <summary>Closes the listener and every connection, and waits (briefly) for their threads.</summary>
    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();
        _accepting.Join(TimeSpan.FromSeconds(2));
        Connection[] open;
        lock (_lock)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach (var connection in open)
        {
            connection.Close();
        }

        foreach (var connection in open)
        {
            connection.Join();
        }
    }

    private void CountLateness(long ticks)
    {
        Interlocked.Increment(ref _released);
        Interlocked.Add(ref _lateTicks, ticks);
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.AcceptSocket();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var connection = new Connection(this, client);
            lock (_lock)
            {
                _connections.RemoveAll(c => c.IsClosed);
                _connections.Add(connection);
            }

            connection.Start();
        }
    }
}
