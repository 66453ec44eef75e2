using TenantCache.Harness;

namespace TenantCache.Tests.Security;

/// <summary>
/// Real Redis processes with TLS and ACL users, and the certificates made for them: TLS-only with
/// the default user off and an application user; TLS-only requiring client certificates; TLS with a
/// certificate no one trusts; plaintext with ACL users.
/// </summary>
public sealed class SecureRedisFixture : IAsyncLifetime
{
    public const string User = "tenant-app";
    public const string Password = "r3dis-Secret-Pa55";

    private readonly List<RedisProcess> _servers = [];

    public TlsMaterial Tls { get; } = TlsMaterial.Create();

    public RedisProcess TlsServer { get; private set; } = null!;

    public RedisProcess MutualTlsServer { get; private set; } = null!;

    public RedisProcess UntrustedTlsServer { get; private set; } = null!;

    public RedisProcess AclServer { get; private set; } = null!;

    private static string[] Users => ["--user", "default", "off", "--user", User, "on", ">" + Password, "~*", "&*", "+@all"];

    public async Task InitializeAsync()
    {
        TlsServer = Track(await RedisProcess.StartTlsAsync(new RedisTlsFiles(Tls.ServerCertificatePath, Tls.ServerKeyPath, Tls.CaPath, false), Users));
        MutualTlsServer = Track(await RedisProcess.StartTlsAsync(new RedisTlsFiles(Tls.ServerCertificatePath, Tls.ServerKeyPath, Tls.CaPath, true), Users));
        UntrustedTlsServer = Track(await RedisProcess.StartTlsAsync(
            new RedisTlsFiles(Tls.UntrustedServerCertificatePath, Tls.UntrustedServerKeyPath, Tls.CaPath, false)));
        AclServer = Track(await RedisProcess.StartAsync(Users));
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Tls.Dispose();
    }

    private RedisProcess Track(RedisProcess server)
    {
        _servers.Add(server);
        return server;
    }
}
