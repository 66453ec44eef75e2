using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantCache.Memcached;

namespace TenantCache.Tests.Security;

/// <summary>
/// TLS and credentials from configuration, through the host: a refused certificate or password stops
/// the start with the typed error; an unreachable server does not; secrets never reach a log line.
/// </summary>
public sealed class MemcachedSecurityHostingTests(SecureServersFixture servers) : IClassFixture<SecureServersFixture>
{
    private static IHost Build(Dictionary<string, string?> settings, CapturingLoggerFactory? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }

        builder.Services.AddTenantCache(o => o.Application = "secure-app")
            .WithMemcached(builder.Configuration.GetSection(MemcachedOptions.SectionName));
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // free again once the listener stops
    }

    private Dictionary<string, string?> Settings(string endpoint, string? password = SecureServersFixture.Password) => new()
    {
        ["TenantCache:Memcached:Servers"] = endpoint,
        ["TenantCache:Memcached:ConnectTimeout"] = "00:00:03",
        ["TenantCache:Memcached:Tls:Enabled"] = "true",
        ["TenantCache:Memcached:Tls:CertificateAuthorityPath"] = servers.Tls.CaPath,
        ["TenantCache:Memcached:Tls:ClientCertificatePath"] = servers.Tls.ClientCertificatePath,
        ["TenantCache:Memcached:Tls:ClientKeyPath"] = servers.Tls.ClientKeyPath,
        ["TenantCache:Memcached:Username"] = SecureServersFixture.User,
        ["TenantCache:Memcached:Password"] = password,
    };

    [Fact]
    public async Task Tls_client_certificate_and_credentials_bound_from_configuration_serve_the_engine()
    {
        var logs = new CapturingLoggerFactory();
        using var host = Build(Settings(servers.MutualTlsAuthServer.Endpoint), logs);
        await host.StartAsync();
        var cache = host.Services.GetRequiredService<ApplicationCache>().Tenant("t1");
        await cache.SetAsync("k", "protected");
        Assert.Equal("protected", (await cache.GetAsync<string>("k")).Value);
        await cache.InvalidateAsync();
        Assert.False((await cache.GetAsync<string>("k")).HasValue);
        await host.StopAsync();
        Assert.DoesNotContain(SecureServersFixture.Password, logs.AllText);
    }

    [Fact]
    public async Task A_wrong_password_stops_the_start_with_the_typed_error()
    {
        var logs = new CapturingLoggerFactory();
        using var host = Build(Settings(servers.MutualTlsAuthServer.Endpoint, password: "Not-The-Password-42"), logs);
        var error = await Assert.ThrowsAsync<MemcachedAuthenticationException>(() => host.StartAsync());
        Assert.DoesNotContain("Not-The-Password-42", error.ToString());
        Assert.DoesNotContain("Not-The-Password-42", logs.AllText);
    }

    [Fact]
    public async Task An_untrusted_server_certificate_stops_the_start_with_the_typed_error()
    {
        var settings = Settings(servers.UntrustedTlsServer.Endpoint);
        settings["TenantCache:Memcached:Username"] = null;
        settings["TenantCache:Memcached:Password"] = null;
        using var host = Build(settings);
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => host.StartAsync());
        Assert.Contains("not trusted", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_does_not_stop_the_start_and_is_logged()
    {
        var logs = new CapturingLoggerFactory();
        using var host = Build(Settings($"127.0.0.1:{FreePort()}"), logs);
        await host.StartAsync();
        Assert.Contains(logs.Entries, e => e.Id.Id == 2810);
        var cache = host.Services.GetRequiredService<ApplicationCache>().Tenant("t1");
        Assert.False((await cache.GetAsync<string>("k")).HasValue); // a miss, as with any outage
        await host.StopAsync();
    }

    [Fact]
    public void Invalid_security_options_are_named_without_showing_the_password()
    {
        var options = new MemcachedOptions { Servers = "127.0.0.1:11211", Username = "app", Password = "has space-Secret77" };
        options.Tls.ClientKeyPath = "/nonexistent/key.pem";
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Password must be", error.Message);
        Assert.Contains("Tls.Enabled is false", error.Message);
        Assert.DoesNotContain("has space-Secret77", error.Message);

        var half = new MemcachedOptions { Servers = "127.0.0.1:11211", Username = "app" };
        Assert.Contains("set together", Assert.Throws<ArgumentException>(half.Validate).Message);

        var missing = new MemcachedOptions { Servers = "127.0.0.1:11211" };
        missing.Tls.Enabled = true;
        missing.Tls.CertificateAuthorityPath = "/nonexistent/ca.pem";
        missing.Tls.ClientKeyPath = "/nonexistent/key.pem";
        var message = Assert.Throws<ArgumentException>(missing.Validate).Message;
        Assert.Contains("CertificateAuthorityPath names a file that does not exist", message);
        Assert.Contains("ClientKeyPath is set without", message);

        var garbage = new MemcachedOptions { Servers = "127.0.0.1:11211" };
        garbage.Tls.Enabled = true;
        garbage.Tls.CertificateAuthorityPath = servers.Tls.ServerKeyPath; // a key, not a certificate
        Assert.Contains("could not be read", Assert.Throws<ArgumentException>(garbage.Validate).Message);
    }

    [Fact]
    public async Task Invalid_security_options_fail_validation_on_start()
    {
        var settings = Settings(servers.MutualTlsAuthServer.Endpoint);
        settings["TenantCache:Memcached:Password"] = null;
        using var host = Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("set together", error.Message);
    }
}
