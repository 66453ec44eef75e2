using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// TLS and authentication settings of a client, frozen at construction: the certificates read once,
/// the credentials encoded once. Never logged (the password is in <see cref="AuthenticationCommand"/>).
/// </summary>
internal sealed class ConnectionSecurity : IDisposable
{
    private readonly MemcachedTlsOptions? _tls;
    private readonly TlsCredentials? _credentials;

    private ConnectionSecurity(MemcachedTlsOptions? tls, TlsCredentials? credentials, byte[]? authenticationCommand)
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

        var tls = new MemcachedTlsOptions
        {
            Enabled = true,
            TargetHost = options.Tls.TargetHost,
            EnabledProtocols = options.Tls.EnabledProtocols,
            ServerCertificateValidation = options.Tls.ServerCertificateValidation,
        };
        return new ConnectionSecurity(tls, TlsCredentials.Load(options.Tls), command);
    }

    /// <summary>The handshake settings for one server; <paramref name="refused"/> learns why a certificate was refused.</summary>
    public SslClientAuthenticationOptions CreateTlsOptions(ServerEndpoint endpoint, Action<SslPolicyErrors, X509ChainStatusFlags> refused)
    {
        var tls = _tls ?? throw new InvalidOperationException("TLS is not enabled.");
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? endpoint.Host,
            EnabledSslProtocols = tls.EnabledProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (_credentials?.Authorities is { } authorities)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        if (_credentials?.Client is { } client)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(client, _credentials.ClientChain, offline: true);
        }

        var custom = tls.ServerCertificateValidation;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            if (custom is not null)
            {
                return custom(sender, certificate, chain, errors);
            }

            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            var status = X509ChainStatusFlags.NoError;
            foreach (var element in chain?.ChainStatus ?? [])
            {
                status |= element.Status;
            }

            refused(errors, status);
            return false;
        };
        return options;
    }

    public void Dispose() => _credentials?.Dispose();
}
