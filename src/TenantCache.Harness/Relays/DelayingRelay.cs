using System.Net;
using System.Net.Sockets;

namespace TenantCache.Harness.Relays;

/// <summary>
/// A loopback TCP relay in front of one server that forwards bytes both ways and holds back
/// server-to-client chunks as <see cref="Delay"/> says (a fixed added latency, and a fraction of late
/// replies), in order. Memory is bounded: each connection queues at most
/// <see cref="MaxQueuedChunks"/> chunks of at most 16 KiB; beyond that the relay stops reading from
/// the server (TCP backpressure). Disposing closes every connection and waits for them.
/// </summary>
public sealed partial class DelayingRelay : IAsyncDisposable
{
    /// <summary>Chunks a connection may hold back at once.</summary>
    public const int MaxQueuedChunks = 64;

    private const int ChunkBytes = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Task _accepting;
    private volatile ReplyDelay _delay;
    private long _chunks;
    private long _late;
    private long _accepted;

    /// <summary>Starts listening on a free 127.0.0.1 port, relaying to <paramref name="upstream"/> (a loopback server).</summary>
    /// <param name="upstream">The server, on loopback.</param>
    /// <param name="delay">The initial delay model (<see cref="ReplyDelay.None"/> for a plain pipe).</param>
    /// <param name="seed">Seeds the choice of late chunks.</param>
    public DelayingRelay(IPEndPoint upstream, ReplyDelay delay, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(delay);
        if (!IPAddress.IsLoopback(upstream.Address))
        {
            throw new ArgumentException("The relay only fronts loopback servers.", nameof(upstream));
        }

        delay.Validate();
        _upstream = upstream;
        _delay = delay;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as the client's server list takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The delay applied to chunks read from now on; can be changed while connections are open.</summary>
    public ReplyDelay Delay
    {
        get => _delay;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _delay = value;
        }
    }

    /// <summary>Server-to-client chunks forwarded so far.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>Chunks held as late so far.</summary>
    public long LateChunks => Interlocked.Read(ref _late);

    /// <summary>Client connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            var serving = ServeAsync(client);
            lock (_lock)
            {
                _connections.Add(serving);
            }

            _ = serving.ContinueWith(t => { lock (_lock) { _connections.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }
}
