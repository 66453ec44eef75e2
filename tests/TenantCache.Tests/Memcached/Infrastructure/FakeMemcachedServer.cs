using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>What a <see cref="FakeMemcachedServer"/> connection does with the first meta command.</summary>
public enum FakeBehavior
{
    /// <summary>Answers like memcached would for an empty cache (EN, HD, NF, MN).</summary>
    Proper,

    /// <summary>Answers with a line that is not a meta reply.</summary>
    Garbage,

    /// <summary>Writes half a VA frame, then nothing.</summary>
    HalfReply,

    /// <summary>Never answers.</summary>
    Silence,

    /// <summary>Closes the connection.</summary>
    Close,

    /// <summary>Answers with a well-formed reply carrying the wrong opaque.</summary>
    WrongOpaque,

    /// <summary>Never answers the connection's <c>stats settings</c>.</summary>
    SilentHandshake,

    /// <summary>After the handshake reads nothing for a moment, then resets the connection (RST).</summary>
    ResetUnread,
}

/// <summary>
/// A tiny loopback TCP server replying with scripted bytes, for failures a real server will not produce
/// on demand. Every connection answers <c>stats settings</c> (1 MiB items) and then follows the
/// behavior chosen for its index (0 = first connection).
/// </summary>
public sealed class FakeMemcachedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<int, FakeBehavior> _behavior;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private int _connections;
    private int _commands;

    private readonly Func<string, TimeSpan>? _replyDelay;
    private readonly Func<string, string?>? _script;

    private FakeMemcachedServer(Func<int, FakeBehavior> behavior, Func<string, TimeSpan>? replyDelay = null, Func<string, string?>? script = null)
    {
        _behavior = behavior;
        _replyDelay = replyDelay;
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Meta commands received so far (all connections).</summary>
    public int CommandCount => Volatile.Read(ref _commands);

    /// <summary>Starts a server whose connection i behaves as <paramref name="behavior"/>(i).</summary>
    public static FakeMemcachedServer Start(Func<int, FakeBehavior> behavior) => new(behavior);

    /// <summary>
    /// Starts a proper server that waits <paramref name="replyDelay"/>(command line) before answering each
    /// command; as memcached, it answers in order, so every reply behind a late one is late too.
    /// </summary>
    public static FakeMemcachedServer WithReplyDelays(Func<string, TimeSpan> replyDelay) => new(_ => FakeBehavior.Proper, replyDelay);

    /// <summary>
    /// Starts a server that answers each command line with <paramref name="script"/>(line), where <c>{O}</c>
    /// stands for the line's opaque flag (<c>O17</c>), or as <see cref="FakeBehavior.Proper"/> when it returns null.
    /// </summary>
    public static FakeMemcachedServer Scripted(Func<string, string?> script) => new(_ => FakeBehavior.Proper, script: script);

    /// <summary>Starts a server whose first connection misbehaves and later ones are proper.</summary>
    public static FakeMemcachedServer FirstConnection(FakeBehavior first) =>
        new(i => i == 0 ? first : FakeBehavior.Proper);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            lock (_sockets)
            {
                _sockets.Add(socket);
            }

            var index = Interlocked.Increment(ref _connections) - 1;
            _ = Task.Run(() => ServeAsync(socket, _behavior(index)));
        }
    }

    private async Task ServeAsync(Socket socket, FakeBehavior behavior)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new FakeLineReader(stream);
            var first = await reader.ReadLineAsync(_stop.Token);
            if (first != "stats settings" || behavior == FakeBehavior.SilentHandshake)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }

            await WriteAsync(stream, "STAT item_size_max 1048576\r\nSTAT cas_enabled yes\r\nEND\r\n");
            if (behavior == FakeBehavior.ResetUnread)
            {
                await Task.Delay(300, _stop.Token);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                return;
            }

            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                Interlocked.Increment(ref _commands);
                var parts = line.Split(' ');
                if (parts[0] == "ms" && parts.Length > 2)
                {
                    await reader.ReadBytesAsync(int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 2, _stop.Token);
                }

                if (_replyDelay?.Invoke(line) is { } delay && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _stop.Token);
                }

                var opaque = parts.FirstOrDefault(p => p.StartsWith('O')) ?? "";
                var echo = opaque.Length > 0 ? " " + opaque : "";
                if (_script?.Invoke(line) is { } scripted)
                {
                    await WriteAsync(stream, scripted.Replace("{O}", opaque, StringComparison.Ordinal));
                    continue;
                }

                switch (behavior)
                {
                    case FakeBehavior.Garbage:
                        await WriteAsync(stream, "HELLO THIS IS NOT MEMCACHED\r\n");
                        break;
                    case FakeBehavior.HalfReply:
                        await WriteAsync(stream, $"VA 10{echo}\r\nabc");
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case FakeBehavior.Silence:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case FakeBehavior.Close:
                        return;
                    case FakeBehavior.WrongOpaque:
                        await WriteAsync(stream, parts[0] == "mn" ? "MN\r\n" : "EN O4242424\r\n");
                        break;
                    default:
                        await WriteAsync(stream, parts[0] switch
                        {
                            "mn" => "MN\r\n",
                            "mg" => $"EN{echo}\r\n",
                            "ms" => $"HD{echo}\r\n",
                            "md" => $"NF{echo}\r\n",
                            "ma" => $"NF{echo}\r\n",
                            _ => "ERROR\r\n",
                        });
                        break;
                }
            }
        }
        catch (Exception)
        {
            // Connection closed by the client or the server stopped.
        }
    }

    private Task WriteAsync(NetworkStream stream, string text) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();
}
