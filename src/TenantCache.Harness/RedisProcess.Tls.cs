using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;

namespace TenantCache.Harness;

/// <summary>The certificate files of a Redis started with TLS only (<c>--port 0 --tls-port PORT</c>).</summary>
/// <param name="CertificatePath">The server certificate (PEM).</param>
/// <param name="KeyPath">Its key (PEM).</param>
/// <param name="CaPath">The CA that signs client certificates (PEM).</param>
/// <param name="RequireClientCertificates">Whether clients must present one (<c>tls-auth-clients yes</c>).</param>
public sealed record RedisTlsFiles(string CertificatePath, string KeyPath, string CaPath, bool RequireClientCertificates);

// TLS-only servers: the port speaks TLS and nothing else.
public sealed partial class RedisProcess
{
    /// <summary>The TLS files the server was started with, or null for plaintext.</summary>
    public RedisTlsFiles? Tls { get; private init; }

    /// <summary>
    /// Starts a server whose port speaks only TLS, with <paramref name="tls"/>'s files and optional
    /// extra arguments (for example ACL users: <c>"--user", "default", "off"</c>).
    /// </summary>
    public static Task<RedisProcess> StartTlsAsync(RedisTlsFiles tls, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return StartAsync(tls, extraArgs);
    }

    private string[] PortArguments()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return Tls is not { } tls
            ? ["--port", port]
            :
            [
                "--port", "0", "--tls-port", port,
                "--tls-cert-file", tls.CertificatePath, "--tls-key-file", tls.KeyPath, "--tls-ca-cert-file", tls.CaPath,
                "--tls-auth-clients", tls.RequireClientCertificates ? "yes" : "no",
            ];
    }

    /// <summary>Whether the TLS port completes a handshake (our own test server: its certificate is not checked here).</summary>
    private static async Task<bool> AnswersTlsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            var tls = new SslStream(client.GetStream(), false, static (_, certificate, _, _) => certificate is not null);
            await using (tls.ConfigureAwait(false))
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, timeout.Token).ConfigureAwait(false);
                return true;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }
}
