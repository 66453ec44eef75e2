using System.Text;
using Microsoft.Extensions.Logging;
using TenantCache.Memcached;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Security;

/// <summary>
/// TLS and authentication of our memcached client against real memcached 1.6 processes started with
/// <c>-Z</c> and <c>-Y</c>, with certificates the test made: what works, and that every refusal is a
/// typed error that names its cause and never falls back to plaintext or leaks the password.
/// </summary>
public sealed class MemcachedSecurityTests(SecureServersFixture servers) : IClassFixture<SecureServersFixture>
{
    private MemcachedOptions Options(MemcachedServer server, bool tls = false, bool credentials = false)
    {
        var options = TestOptions.Relaxed(server.Endpoint, connectionsPerServer: 1);
        options.ConnectTimeout = TimeSpan.FromSeconds(3);
        options.OperationTimeout = TimeSpan.FromSeconds(3);
        options.FailureThreshold = 100; // keep the node up: each call shows the connect error itself
        if (tls)
        {
            options.Tls.Enabled = true;
            options.Tls.CertificateAuthorityPath = servers.Tls.CaPath;
        }

        if (credentials)
        {
            options.Username = SecureServersFixture.User;
            options.Password = SecureServersFixture.Password;
        }

        return options;
    }

    private static async Task RoundTripAsync(MemcachedClient client)
    {
        var key = "sec:" + Guid.NewGuid().ToString("N");
        var value = Encoding.UTF8.GetBytes("over a protected connection");
        Assert.Equal(MemcachedStoreResult.Stored, await client.SetAsync(key, value));
        var item = await client.GetAsync(key);
        Assert.True(item.Found);
        Assert.Equal(value, item.Value.ToArray());
    }

    [Fact]
    public async Task Tls_with_the_servers_ca_reads_and_writes()
    {
        await using var client = new MemcachedClient(Options(servers.TlsServer, tls: true));
        await RoundTripAsync(client);
    }

    [Fact]
    public async Task Tls_pipelines_concurrent_reads_and_writes_on_one_connection()
    {
        await using var client = new MemcachedClient(Options(servers.TlsServer, tls: true));
        var value = new byte[20_000];
        Random.Shared.NextBytes(value);
        var tasks = Enumerable.Range(0, 400).Select(async i =>
        {
            var key = $"sec:pipe:{i}:{Guid.NewGuid():N}";
            Assert.Equal(MemcachedStoreResult.Stored, await client.SetAsync(key, value));
            var item = await client.GetAsync(key);
            Assert.Equal(value, item.Value.ToArray());
        });
        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task A_certificate_of_an_untrusted_ca_is_a_typed_error_naming_the_chain()
    {
        await using var client = new MemcachedClient(Options(servers.UntrustedTlsServer, tls: true));
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("not trusted", error.Message);
        Assert.Contains(servers.UntrustedTlsServer.Endpoint, error.Message);
    }

    [Fact]
    public async Task The_machines_trust_store_does_not_trust_a_private_ca()
    {
        var options = Options(servers.TlsServer, tls: true);
        options.Tls.CertificateAuthorityPath = null;
        await using var client = new MemcachedClient(options);
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("CertificateAuthorityPath", error.Message);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused()
    {
        var options = Options(servers.TlsServer, tls: true);
        options.Tls.TargetHost = "cache.example.com";
        await using var client = new MemcachedClient(options);
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("expected name", error.Message);
    }

    [Fact]
    public async Task A_pinning_callback_replaces_the_default_validation()
    {
        var options = Options(servers.UntrustedTlsServer, tls: true);
        var calls = 0;
        options.Tls.ServerCertificateValidation = (_, certificate, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return certificate!.Subject == "CN=127.0.0.1";
        };
        await using var client = new MemcachedClient(options);
        await RoundTripAsync(client);
        Assert.True(calls >= 1);
    }

    [Fact]
    public async Task Tls_to_a_plaintext_server_fails_and_never_falls_back()
    {
        await using var client = new MemcachedClient(Options(servers.PlainServer, tls: true));
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => client.SetAsync("k", new byte[] { 1 }).AsTask());
        Assert.Contains("TLS handshake", error.Message);
        await using var plain = new MemcachedClient(Options(servers.PlainServer));
        Assert.False((await plain.GetAsync("k")).Found); // nothing was written in plaintext
    }

    [Fact]
    public async Task Plaintext_to_a_tls_server_fails_with_a_hint()
    {
        await using var client = new MemcachedClient(Options(servers.TlsServer));
        var error = await Assert.ThrowsAnyAsync<MemcachedException>(() => client.GetAsync("k").AsTask());
        Assert.IsNotType<MemcachedTimeoutException>(error);
        Assert.True(error.ToString().Contains("MemcachedOptions.Tls", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task The_right_credentials_authenticate()
    {
        await using var client = new MemcachedClient(Options(servers.AuthServer, credentials: true));
        await RoundTripAsync(client);
    }

    [Fact]
    public async Task A_wrong_password_is_a_typed_error_that_does_not_show_the_password()
    {
        var options = Options(servers.AuthServer, credentials: true);
        options.Password = "wrong-Pa55word-XYZ";
        var logs = new CapturingLoggerFactory();
        await using var client = new MemcachedClient(options, logs);
        var error = await Assert.ThrowsAsync<MemcachedAuthenticationException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("refused the credentials", error.Message);
        Assert.DoesNotContain("wrong-Pa55word-XYZ", error.ToString());
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain("wrong-Pa55word-XYZ", logs.AllText);
    }

    [Fact]
    public async Task A_server_that_requires_authentication_names_the_missing_options()
    {
        await using var client = new MemcachedClient(Options(servers.AuthServer));
        var error = await Assert.ThrowsAsync<MemcachedAuthenticationException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("Username and Password", error.Message);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_a_server_that_does_not_ask_and_the_client_warns()
    {
        var logs = new CapturingLoggerFactory();
        await using var client = new MemcachedClient(Options(servers.PlainServer, credentials: true), logs);
        await RoundTripAsync(client);
        Assert.Contains(logs.Entries, e => e.Id.Id == 2808); // credentials without TLS
        Assert.Contains(logs.Entries, e => e.Id.Id == 2809 && e.Level == LogLevel.Warning); // not asked, not sent
        Assert.DoesNotContain(SecureServersFixture.Password, logs.AllText);
    }

    [Fact]
    public async Task Tls_with_a_client_certificate_and_credentials_works()
    {
        var options = Options(servers.MutualTlsAuthServer, tls: true, credentials: true);
        options.Tls.ClientCertificatePath = servers.Tls.ClientCertificatePath;
        options.Tls.ClientKeyPath = servers.Tls.ClientKeyPath;
        var logs = new CapturingLoggerFactory();
        await using var client = new MemcachedClient(options, logs);
        await RoundTripAsync(client);
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 2808);
    }

    [Fact]
    public async Task Without_the_required_client_certificate_the_connection_is_refused_with_a_typed_error()
    {
        await using var client = new MemcachedClient(Options(servers.MutualTlsAuthServer, tls: true, credentials: true));
        var error = await Assert.ThrowsAsync<MemcachedTlsException>(() => client.GetAsync("k").AsTask());
        Assert.Contains("ClientCertificatePath", error.Message);
        Assert.DoesNotContain(SecureServersFixture.Password, error.ToString());
    }
}
