using System.Net.Security;
using System.Net.Sockets;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// The byte stream of one connection: the socket itself, or TLS over it. Blocking calls only (the
/// connection's reader and writer threads call <see cref="Receive"/> and <see cref="Send"/> at the
/// same time, which <see cref="SslStream"/> allows: one read and one write at once).
/// </summary>
internal sealed class ConnectionTransport
{
    private readonly Socket _socket;
    private readonly SslStream? _tls;

    public ConnectionTransport(Socket socket, SslStream? tls = null)
    {
        _socket = socket;
        _tls = tls;
    }

    /// <summary>Reads what is there (at least one byte), or returns 0 when the peer closed the stream.</summary>
    public int Receive(Span<byte> buffer) => _tls is null ? _socket.Receive(buffer, SocketFlags.None) : _tls.Read(buffer);

    /// <summary>Sends every byte.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        if (_tls is not null)
        {
            _tls.Write(bytes);
            return;
        }

        while (!bytes.IsEmpty)
        {
            var sent = _socket.Send(bytes, SocketFlags.None);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Shuts the socket down and closes it; a blocked <see cref="Receive"/> or <see cref="Send"/> returns or throws.</summary>
    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // Already closed by the peer.
        }

        _socket.Dispose();
    }

    /// <summary>Releases the TLS state; only once no thread reads or writes any more.</summary>
    public void Release()
    {
        Close();
        _tls?.Dispose();
    }
}
