using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

internal sealed partial class MemcachedConnection
{
    private const int MaxSettingsReply = 64 * 1024;

    /// <summary>
    /// Opens a socket, reads <c>stats settings</c> (item_size_max, cas_enabled) and starts the loops,
    /// all within <paramref name="connectTimeout"/>.
    /// </summary>
    public static async Task<MemcachedConnection> ConnectAsync(
        ServerEndpoint endpoint,
        TimeSpan connectTimeout,
        ConnectionSettings connectionSettings,
        TimeProvider timeProvider,
        ILogger logger,
        ConnectionCallbacks callbacks,
        CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint target = IPAddress.TryParse(endpoint.Host, out var address)
                ? new IPEndPoint(address, endpoint.Port)
                : new DnsEndPoint(endpoint.Host, endpoint.Port);
            var settings = await HandshakeAsync(socket, target, linked.Token).ConfigureAwait(false);
            var itemSizeMax = settings.TryGetValue("item_size_max", out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : ItemLimits.DefaultItemSizeMax;
            var casEnabled = settings.TryGetValue("cas_enabled", out var cas) ? cas : "unknown";
            if (casEnabled == "no")
            {
                Log.CasDisabled(logger, endpoint);
            }

            var connection = new MemcachedConnection(socket, endpoint, settings, itemSizeMax, connectionSettings, timeProvider, logger, callbacks);
            connection.Start();
            MemcachedMetrics.ConnectionsOpened.Add(1, MemcachedMetrics.ServerTag(endpoint.ToString()));
            Log.Connected(logger, endpoint, itemSizeMax, casEnabled);
            return connection;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw;
        }
        catch (OperationCanceledException e)
        {
            socket.Dispose();
            throw new MemcachedTimeoutException(
                $"Connecting to memcached {endpoint} timed out after {connectTimeout.TotalMilliseconds:0} ms.", e);
        }
        catch (Exception e) when (e is SocketException or IOException or MemcachedException)
        {
            socket.Dispose();
            throw e as MemcachedException ?? new MemcachedConnectionException($"Could not connect to memcached {endpoint}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose(); // anything unexpected: never leave the socket open
            throw;
        }
    }

    /// <summary>Starts the reader and writer threads and the stall detector.</summary>
    private void Start()
    {
        var name = $"memcached {Endpoint}";
        new Thread(ReadLoop) { IsBackground = true, Name = name + " reader" }.Start();
        new Thread(WriteLoop) { IsBackground = true, Name = name + " writer" }.Start();
        StartStallDetector();
    }

    /// <summary>
    /// Connects and reads the settings with blocking calls on a thread of its own, aborted (the socket
    /// disposed) when <paramref name="cancellationToken"/> fires. A socket that has never seen an
    /// asynchronous operation stays in blocking mode, so the reader and writer threads' blocking
    /// receives and sends go straight to the kernel instead of being emulated over the event loop
    /// (one thread hop per reply fewer).
    /// </summary>
    private static async Task<Dictionary<string, string>> HandshakeAsync(Socket socket, EndPoint target, CancellationToken cancellationToken)
    {
        using var abort = cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            return await Task.Factory.StartNew(
                () =>
                {
                    socket.Connect(target);
                    return ReadSettings(socket);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static Dictionary<string, string> ReadSettings(Socket socket)
    {
        socket.Send("stats settings\r\n"u8, SocketFlags.None);
        var buffer = new byte[MaxSettingsReply];
        var length = 0;
        while (!EndsWith(buffer.AsSpan(0, length), "END\r\n"u8))
        {
            if (length == buffer.Length)
            {
                throw new MemcachedProtocolException("The reply to 'stats settings' is too long.");
            }

            var read = socket.Receive(buffer.AsSpan(length), SocketFlags.None);
            if (read == 0)
            {
                throw new MemcachedConnectionException("The server closed the connection while sending its settings.");
            }

            length += read;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.ASCII.GetString(buffer, 0, length).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && parts[0] == "STAT")
            {
                settings[parts[1]] = parts[2];
            }
            else if (line != "END")
            {
                throw new MemcachedProtocolException($"Unexpected line in the reply to 'stats settings': {line[..Math.Min(line.Length, 80)]}");
            }
        }

        return settings;
    }

    private static bool EndsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix) =>
        data.Length >= suffix.Length && data[^suffix.Length..].SequenceEqual(suffix) && (data.Length == suffix.Length || data[^(suffix.Length + 1)] == (byte)'\n');
}
