using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

internal sealed partial class MemcachedConnection
{
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
        ConnectionTransport? transport = null;
        try
        {
            EndPoint target = IPAddress.TryParse(endpoint.Host, out var address)
                ? new IPEndPoint(address, endpoint.Port)
                : new DnsEndPoint(endpoint.Host, endpoint.Port);
            (transport, var settings) = await HandshakeAsync(socket, target, endpoint, connectionSettings.Security, logger, linked.Token).ConfigureAwait(false);
            var itemSizeMax = settings.TryGetValue("item_size_max", out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : ItemLimits.DefaultItemSizeMax;
            var casEnabled = settings.TryGetValue("cas_enabled", out var cas) ? cas : "unknown";
            if (casEnabled == "no")
            {
                Log.CasDisabled(logger, endpoint);
            }

            var connection = new MemcachedConnection(transport, endpoint, settings, itemSizeMax, connectionSettings, timeProvider, logger, callbacks);
            connection.Start();
            MemcachedMetrics.ConnectionsOpened.Add(1, MemcachedMetrics.ServerTag(endpoint.ToString()));
            Log.Connected(logger, endpoint, itemSizeMax, casEnabled);
            return connection;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Release(socket, transport);
            throw;
        }
        catch (OperationCanceledException e)
        {
            Release(socket, transport);
            throw new MemcachedTimeoutException(
                $"Connecting to memcached {endpoint} timed out after {connectTimeout.TotalMilliseconds:0} ms.", e);
        }
        catch (Exception e) when (e is SocketException or IOException or MemcachedException)
        {
            Release(socket, transport);
            throw e as MemcachedException ?? new MemcachedConnectionException($"Could not connect to memcached {endpoint}: {e.Message}", e);
        }
        catch
        {
            Release(socket, transport); // anything unexpected: never leave the socket open
            throw;
        }
    }

    private static void Release(Socket socket, ConnectionTransport? transport)
    {
        if (transport is null)
        {
            socket.Dispose();
        }
        else
        {
            transport.Release();
        }
    }

    /// <summary>Starts the reader and writer threads and the stall detector.</summary>
    private void Start()
    {
        var name = $"memcached {Endpoint}";
        new Thread(ReadLoop) { IsBackground = true, Name = name + " reader" }.Start();
        new Thread(WriteLoop) { IsBackground = true, Name = name + " writer" }.Start();
        StartStallDetector();
        _ = Task.WhenAll(_readerDone.Task, _writerDone.Task).ContinueWith(
            static (_, transport) => ((ConnectionTransport)transport!).Release(),
            _transport,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Connects, shakes hands (TLS, authentication) and reads the settings with blocking calls on a
    /// thread of its own, aborted (the socket disposed) when <paramref name="cancellationToken"/> fires.
    /// A socket that has never seen an asynchronous operation stays in blocking mode, so the reader and
    /// writer threads' blocking receives and sends go straight to the kernel instead of being emulated
    /// over the event loop (one thread hop per reply fewer).
    /// </summary>
    private static async Task<(ConnectionTransport Transport, Dictionary<string, string> Settings)> HandshakeAsync(
        Socket socket, EndPoint target, ServerEndpoint endpoint, ConnectionSecurity security, ILogger logger, CancellationToken cancellationToken)
    {
        using var abort = cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            return await Task.Factory.StartNew(
                () =>
                {
                    socket.Connect(target);
                    var transport = security.UsesTls ? OpenTls(socket, endpoint, security) : new ConnectionTransport(socket);
                    try
                    {
                        Authenticate(transport, endpoint, security, logger);
                        return (transport, ReadSettings(transport, security, endpoint));
                    }
                    catch (IOException e) when (security.UsesTls)
                    {
                        transport.Release();
                        throw RefusedAfterHandshake(endpoint, e);
                    }
                    catch
                    {
                        transport.Release();
                        throw;
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static bool EndsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix) =>
        data.Length >= suffix.Length && data[^suffix.Length..].SequenceEqual(suffix) && (data.Length == suffix.Length || data[^(suffix.Length + 1)] == (byte)'\n');
}
