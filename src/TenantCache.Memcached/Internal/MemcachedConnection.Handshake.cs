using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;

namespace TenantCache.Memcached.Internal;

/// <summary>The blocking steps of opening a connection, after the socket connects: TLS, authentication, settings.</summary>
internal sealed partial class MemcachedConnection
{
    private const int MaxSettingsReply = 64 * 1024;

    private static ConnectionTransport OpenTls(Socket socket, ServerEndpoint endpoint, ConnectionSecurity security)
    {
        var refusal = "";
        var options = security.CreateTlsOptions(endpoint, reason => refusal = reason);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            tls.AuthenticateAsClient(options);
            return new ConnectionTransport(socket, tls);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            tls.Dispose();
            var reason = refusal.Length > 0
                ? $"the server's certificate was refused: {refusal}"
                : $"{e.Message} (does the server speak TLS, memcached -Z? does it accept our client certificate?)";
            throw new MemcachedTlsException($"The TLS handshake with memcached {endpoint} failed: {reason}", e);
        }
        catch
        {
            tls.Dispose();
            throw;
        }
    }

    /// <summary>
    /// With credentials: asks with <c>mn</c> whether the server wants them (it answers
    /// <c>CLIENT_ERROR unauthenticated</c> when started with <c>-Y</c>) and sends them only then.
    /// </summary>
    private static void Authenticate(ConnectionTransport transport, ServerEndpoint endpoint, ConnectionSecurity security, ILogger logger)
    {
        if (security.AuthenticationCommand is not { } command)
        {
            return;
        }

        transport.Send("mn\r\n"u8);
        var probe = ReadLine(transport, endpoint, security);
        if (probe == "MN")
        {
            Log.AuthenticationNotRequired(logger, endpoint);
            return;
        }

        if (probe != "CLIENT_ERROR unauthenticated")
        {
            throw new MemcachedProtocolException($"Memcached {endpoint} answered the first no-op with an unexpected line: {Clip(probe)}");
        }

        transport.Send(command);
        var answer = ReadLine(transport, endpoint, security);
        if (answer != "STORED")
        {
            throw new MemcachedAuthenticationException(answer.StartsWith("CLIENT_ERROR", StringComparison.Ordinal)
                ? $"Memcached {endpoint} refused the credentials ({Clip(answer)}): check MemcachedOptions.Username and Password."
                : $"Memcached {endpoint} answered the authentication with an unexpected line: {Clip(answer)}");
        }
    }

    /// <summary>Reads one reply line (the server sends nothing unasked, so nothing past it is lost).</summary>
    private static string ReadLine(ConnectionTransport transport, ServerEndpoint endpoint, ConnectionSecurity security)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (length < 2 || buffer[length - 2] != '\r' || buffer[length - 1] != '\n')
        {
            if (length == buffer.Length)
            {
                throw new MemcachedProtocolException($"Memcached {endpoint} sent an overlong line while the connection opened.");
            }

            var read = transport.Receive(buffer.AsSpan(length));
            if (read == 0)
            {
                throw security.UsesTls
                    ? RefusedAfterHandshake(endpoint, null)
                    : new MemcachedConnectionException($"Memcached {endpoint} closed the connection while it opened.");
            }

            length += read;
        }

        return Encoding.ASCII.GetString(buffer, 0, length - 2);
    }

    private static Dictionary<string, string> ReadSettings(ConnectionTransport transport, ConnectionSecurity security, ServerEndpoint endpoint)
    {
        transport.Send("stats settings\r\n"u8);
        var buffer = new byte[MaxSettingsReply];
        var length = 0;
        while (!EndsWith(buffer.AsSpan(0, length), "END\r\n"u8))
        {
            if (length == buffer.Length)
            {
                throw new MemcachedProtocolException("The reply to 'stats settings' is too long.");
            }

            int read;
            try
            {
                read = transport.Receive(buffer.AsSpan(length));
            }
            catch (SocketException e)
            {
                throw new MemcachedConnectionException(ClosedDuringSettings(security, e.Message), e);
            }

            if (read == 0)
            {
                throw security.UsesTls && length == 0
                    ? RefusedAfterHandshake(endpoint, null)
                    : new MemcachedConnectionException(ClosedDuringSettings(security, "closed"));
            }

            length += read;
            if (StartsWithUnauthenticated(buffer.AsSpan(0, length)))
            {
                throw new MemcachedAuthenticationException(
                    "The server requires authentication (memcached -Y): set MemcachedOptions.Username and Password.");
            }
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
                throw new MemcachedProtocolException($"Unexpected line in the reply to 'stats settings': {Clip(line)}");
            }
        }

        return settings;
    }

    /// <summary>
    /// With TLS 1.3 the handshake completes on the client's side before the server has judged our
    /// certificate; a server that refuses it (or wants one) ends the stream at the first read or write of
    /// the opening, with an alert or without a word: that is a TLS refusal, not an outage.
    /// </summary>
    private static MemcachedTlsException RefusedAfterHandshake(ServerEndpoint endpoint, Exception? cause)
    {
        var message = $"Memcached {endpoint} ended the TLS connection right after the handshake{(cause is null ? "" : $" ({cause.Message})")}: "
            + "it refused our client certificate or requires one (MemcachedOptions.Tls.ClientCertificatePath, ssl_verify_mode=2).";
        return cause is null ? new MemcachedTlsException(message) : new MemcachedTlsException(message, cause);
    }

    private static string ClosedDuringSettings(ConnectionSecurity security, string how) => security.UsesTls
        ? $"The server ended the connection ({how}) before sending its settings."
        : $"The server ended the connection ({how}) before sending its settings; a server that requires TLS does this to a plaintext client (see MemcachedOptions.Tls).";

    private static bool StartsWithUnauthenticated(ReadOnlySpan<byte> data) =>
        data.StartsWith("CLIENT_ERROR unauthenticated\r\n"u8);

    private static string Clip(string line) => line[..Math.Min(line.Length, 80)];
}
