using StackExchange.Redis;
using TenantCache.Stores;

namespace TenantCache.Redis;

// Opening the connection: configuration string + credentials + TLS, and typed errors for refused security.
public sealed partial class RedisCacheStore
{
    /// <summary>
    /// Connects once with <c>abortConnect=true</c>, whatever the configuration says, so that a refused
    /// password or certificate is always a typed error here (StackExchange.Redis would otherwise retry it
    /// in the background forever). When Redis is merely unreachable and the configuration has
    /// <c>abortConnect=false</c>, connects again in that mode: the store starts and reconnects by itself.
    /// </summary>
    /// <remarks>The certificates stay loaded in <paramref name="credentials"/> for the reconnections; the store disposes them.</remarks>
    private static ConnectionMultiplexer Connect(RedisStoreOptions options, out TlsCredentials? credentials)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        var refusal = "";
        credentials = Apply(options, configuration, reason => refusal = reason);
        try
        {
            return ConnectOnce(configuration, () => refusal);
        }
        catch
        {
            credentials?.Dispose();
            credentials = null;
            throw;
        }
    }

    private static ConnectionMultiplexer ConnectOnce(ConfigurationOptions configuration, Func<string> refusedCertificate)
    {
        var waitInBackground = !configuration.AbortOnConnectFail;
        configuration.AbortOnConnectFail = true;
        try
        {
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException e) when (refusedCertificate() is { Length: > 0 } refusal)
        {
            throw new RedisTlsException($"The TLS handshake with Redis failed: the server's certificate was refused: {refusal}", e);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            throw configuration.Ssl && IsTransportFailure(e)
                ? new RedisTlsException($"The TLS handshake with Redis failed ({Innermost(e).Message}): does the port speak TLS (tls-port)? does it accept our client certificate?", e)
                : new RedisAuthenticationException($"Redis refused the credentials ({Innermost(e).Message}): check RedisStoreOptions.User and Password (or user=/password= in the configuration).", e);
        }
        catch (RedisConnectionException) when (waitInBackground)
        {
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisException e)
        {
            var hint = configuration.Ssl
                ? " (with TLS 1.3 a server that requires a client certificate closes the connection after the handshake: see RedisStoreOptions.Tls.ClientCertificatePath)"
                : " (a server that requires TLS closes plaintext connections: see RedisStoreOptions.Tls)";
            throw new CacheStoreException("Could not connect to Redis: " + e.Message + hint, e);
        }
    }

    /// <summary>Adds <see cref="RedisStoreOptions.User"/>, <see cref="RedisStoreOptions.Password"/> and <see cref="RedisStoreOptions.Tls"/> to the parsed configuration.</summary>
    private static TlsCredentials? Apply(RedisStoreOptions options, ConfigurationOptions configuration, Action<string> refused)
    {
        if (options.User is not null)
        {
            configuration.User = options.User;
        }

        if (options.Password is not null)
        {
            configuration.Password = options.Password;
        }

        var tls = options.Tls;
        if (!tls.Enabled)
        {
            return null;
        }

        configuration.Ssl = true;
        if (tls.TargetHost is not null)
        {
            configuration.SslHost = tls.TargetHost;
        }

        if (tls.EnabledProtocols != System.Security.Authentication.SslProtocols.None)
        {
            configuration.SslProtocols = tls.EnabledProtocols;
        }

        var credentials = TlsCredentials.Load(tls);
        configuration.CertificateValidation += TlsValidation.Create(tls, credentials, refused);
        if (credentials.Client is { } client)
        {
            configuration.CertificateSelection += (_, _, _, _, _) => client;
        }

        return credentials;
    }

    /// <summary>
    /// StackExchange.Redis reports a failed TLS handshake as an authentication failure too; it is one when
    /// the stream broke (refused credentials are a reply, <c>WRONGPASS</c> or <c>NOAUTH</c>, on a working stream).
    /// </summary>
    private static bool IsTransportFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
