using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Engine;

namespace TenantCache.Tests.Security;

/// <summary>
/// The whole engine contract over TLS with a client certificate and ASCII authentication (memcached
/// <c>-Z -Y</c>, <c>ssl_verify_mode=2</c>): the pipelined reads and writes of the engine on one
/// encrypted, authenticated connection per server behave exactly as in plaintext.
/// </summary>
public sealed class MemcachedTlsEngineTests(SecureServersFixture servers) : EngineContractTests, IClassFixture<SecureServersFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync()
    {
        var options = new MemcachedOptions
        {
            Servers = servers.MutualTlsAuthServer.Endpoint,
            Username = SecureServersFixture.User,
            Password = SecureServersFixture.Password,
        };
        options.Tls.Enabled = true;
        options.Tls.CertificateAuthorityPath = servers.Tls.CaPath;
        options.Tls.ClientCertificatePath = servers.Tls.ClientCertificatePath;
        options.Tls.ClientKeyPath = servers.Tls.ClientKeyPath;
        return Task.FromResult<ICacheStore>(new MemcachedCacheStore(options));
    }
}
