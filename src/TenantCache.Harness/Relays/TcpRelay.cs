using System.Net;
using System.Net.Sockets;

namespace TenantCache.Harness.Relays;

/// <summary>
/// A loopback TCP relay in front of one memcached: clients connect to <see cref="Port"/>, every
/// connection is piped to the upstream server. While <see cref="Chaos"/> is on, it resets connections
/// at random (RST on both sides): before a command reaches the server, or after forwarding only part
/// of a reply (mid-reply). Off, it is a plain pipe.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Pair> _pairs = [];
    private readonly Random _random;
    private readonly Task _accepting;
    private long _resets;
    private long _midReplyResets;
    private long _accepted;
    private volatile bool _chaos;

    /// <summary>Starts listening on a free loopback port, relaying to <paramref name="upstream"/> (a loopback server); <paramref name="seed"/> seeds the resets.</summary>
    public TcpRelay(IPEndPoint upstream, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (!IPAddress.IsLoopback(upstream.Address))
        {
            throw new ArgumentException("The relay only fronts loopback servers.", nameof(upstream));
        }

        _upstream = upstream;
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

    /// <summary>Probability that a chunk forwarded in either direction triggers a reset while <see cref="Chaos"/> is on.</summary>
    public double ResetProbability { get; set; } = 0.02;

    /// <summary>Whether connections are being reset at random.</summary>
    public bool Chaos
    {
        get => _chaos;
        set => _chaos = value;
    }

    /// <summary>Connections reset so far.</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Resets made after forwarding part of a reply to the client.</summary>
    public long MidReplyResets => Interlocked.Read(ref _midReplyResets);

    /// <summary>Client connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections currently piped.</summary>
    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _pairs.Count;
            }
        }
    }

    /// <summary>Resets every open connection now.</summary>
    public void ResetAll()
    {
        Pair[] pairs;
        lock (_lock)
        {
            pairs = [.. _pairs];
        }

        foreach (var pair in pairs)
        {
            Reset(pair);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        ResetAll();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
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
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var pair = new Pair(client, server);
        lock (_lock)
        {
            _pairs.Add(pair);
        }

        try
        {
            await server.ConnectAsync(_upstream, _stopping.Token).ConfigureAwait(false);
            await Task.WhenAll(PumpAsync(pair, client, server, toClient: false), PumpAsync(pair, server, client, toClient: true)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_lock)
            {
                _pairs.Remove(pair);
            }

            Reset(pair, count: false);
        }
    }

    private async Task PumpAsync(Pair pair, Socket from, Socket to, bool toClient)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var forward = read;
                var reset = false;
                if (_chaos && NextDouble() < ResetProbability)
                {
                    reset = true;

                    // Toward the client: forward part of the reply first (mid-reply). Toward the
                    // server: drop the command, or forward part of it.
                    forward = NextInt(read);
                }

                if (forward > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, forward), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                }

                if (reset)
                {
                    if (toClient && forward > 0)
                    {
                        Interlocked.Increment(ref _midReplyResets);
                    }

                    Reset(pair);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Reset(pair, count: false);
        }
    }

    private double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private int NextInt(int max)
    {
        lock (_random)
        {
            return _random.Next(max);
        }
    }

    private void Reset(Pair pair, bool count = true)
    {
        if (Interlocked.Exchange(ref pair.Closed, 1) != 0)
        {
            return;
        }

        if (count)
        {
            Interlocked.Increment(ref _resets);
        }

        foreach (var socket in new[] { pair.Client, pair.Server })
        {
            try
            {
                // Linger 0: close sends RST, not FIN.
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            socket.Dispose();
        }
    }

    private sealed class Pair(Socket client, Socket server)
    {
        public int Closed;

        public Socket Client { get; } = client;

        public Socket Server { get; } = server;
    }
}
