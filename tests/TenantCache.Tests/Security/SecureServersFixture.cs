using TenantCache.Harness;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Security;

/// <summary>
/// Real memcached processes with TLS and authentication, and the certificates made for them: one
/// with a certificate of our test CA, one whose certificate no one trusts, one with ASCII
/// authentication (-Y), one with TLS + authentication + required client certificates, one plain.
/// </summary>
public sealed class SecureServersFixture : IAsyncLifetime
{
    public const string User = "tenant-app";
    public const string Password = "s3cret-Pa55:w0rd!";

    private readonly List<MemcachedServer> _servers = [];

    public TlsMaterial Tls { get; } = TlsMaterial.Create();

    public MemcachedServer TlsServer { get; private set; } = null!;

    public MemcachedServer UntrustedTlsServer { get; private set; } = null!;

    public MemcachedServer AuthServer { get; private set; } = null!;

    public MemcachedServer MutualTlsAuthServer { get; private set; } = null!;

    public MemcachedServer PlainServer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var authFile = Path.Combine(Tls.Directory, "memcached-auth");
        await File.WriteAllTextAsync(authFile, $"{User}:{Password}\nother:other-password\n");
        TlsServer = await StartAsync("-Z", "-o", $"ssl_chain_cert={Tls.ServerCertificatePath},ssl_key={Tls.ServerKeyPath}");
        UntrustedTlsServer = await StartAsync("-Z", "-o", $"ssl_chain_cert={Tls.UntrustedServerCertificatePath},ssl_key={Tls.UntrustedServerKeyPath}");
        AuthServer = await StartAsync("-Y", authFile);
        MutualTlsAuthServer = await StartAsync(
            "-Z", "-Y", authFile, "-o",
            $"ssl_chain_cert={Tls.ServerCertificatePath},ssl_key={Tls.ServerKeyPath},ssl_verify_mode=2,ssl_ca_cert={Tls.CaPath}");
        PlainServer = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Tls.Dispose();
    }

    private async Task<MemcachedServer> StartAsync(params string[] args)
    {
        var server = await MemcachedServer.StartAsync(["-m", "16", .. args]);
        _servers.Add(server);
        return server;
    }
}
