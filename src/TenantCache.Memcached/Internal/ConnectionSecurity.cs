using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TenantCache.Stores;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// TLS and authentication settings of a client, frozen at construction: the certificates read once,
/// the credentials encoded once. Never logged (the password is in <see cref="AuthenticationCommand"/>).
/// </summary>
internal sealed class ConnectionSecurity : IDisposable
{
    private readonly StoreTlsOptions? _tls;
    private readonly TlsCredentials? _credentials;

    private ConnectionSecurity(StoreTlsOptions? tls, TlsCredentials? credentials, byte[]? authenticationCommand)
    {
        _tls = tls;
        _credentials = credentials;
        AuthenticationCommand = authenticationCommand;
    }

    /// <summary>Whether connections use TLS.</summary>
    public bool UsesTls => _tls is not null;

    /// <summary>
    /// The ASCII authentication command (<c>set</c> of an already expired item whose value is
    /// <c>user password</c>), or null without credentials. Sent only to a server that asks for it.
    /// </summary>
    public byte[]? AuthenticationCommand { get; }

    /// <summary>No TLS, no credentials.</summary>
    public static ConnectionSecurity None { get; } = new(null, null, null);

    public static ConnectionSecurity From(MemcachedOptions options)
    {
        byte[]? command = null;
        if (options.Username is { } user && options.Password is { } password)
        {
            var value = Encoding.UTF8.GetBytes($"{user} {password}");
            command = [.. Encoding.ASCII.GetBytes($"set _tenantcache_auth 0 -1 {value.Length}\r\n"), .. value, .. "\r\n"u8];
        }

        if (!options.Tls.Enabled)
        {
            return command is null ? None : new ConnectionSecurity(null, null, command);
        }

        var tls = new StoreTlsOptions
        {
            Enabled = true,
            TargetHost = options.Tls.TargetHost,
            EnabledProtocols = options.Tls.EnabledProtocols,
            ServerCertificateValidation = options.Tls.ServerCertificateValidation,
        };
        return new ConnectionSecurity(tls, TlsCredentials.Load(options.Tls), command);
    }

    /// <summary>The handshake settings for one server; <paramref name="refused"/> learns why a certificate was refused.</summary>
    public SslClientAuthenticationOptions CreateTlsOptions(ServerEndpoint endpoint, Action<string> refused)
    {
        var tls = _tls ?? throw new InvalidOperationException("TLS is not enabled.");
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? endpoint.Host,
            EnabledSslProtocols = tls.EnabledProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (_credentials?.Client is { } client)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(client, _credentials.ClientChain, offline: true);
        }

        options.RemoteCertificateValidationCallback = TlsValidation.Create(tls, _credentials, refused);
        return options;
    }

    public void Dispose() => _credentials?.Dispose();
}
