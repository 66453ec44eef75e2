using System.Text;
using TenantCache.Harness;
using TenantCache.Redis;
using TenantCache.Stores;

namespace TenantCache.Tests.Security;

/// <summary>
/// TLS and ACL authentication of the Redis store against real Redis 7 processes (<c>tls-port</c>,
/// <c>--user</c>) with test-made certificates: what works, and that each refusal is a typed error at
/// creation — whatever <c>abortConnect</c> says — that never shows the password.
/// </summary>
public sealed class RedisSecurityTests(SecureRedisFixture servers) : IClassFixture<SecureRedisFixture>
{
    private RedisStoreOptions Options(RedisProcess server, bool tls = true, bool credentials = true, string extra = "")
    {
        var options = new RedisStoreOptions { Configuration = $"{server.Endpoint},connectTimeout=3000{extra}" };
        if (tls)
        {
            options.Tls.Enabled = true;
            options.Tls.CertificateAuthorityPath = servers.Tls.CaPath;
        }

        if (credentials)
        {
            options.User = SecureRedisFixture.User;
            options.Password = SecureRedisFixture.Password;
        }

        return options;
    }

    private static async Task RoundTripAsync(RedisCacheStore store)
    {
        var key = "sec:" + Guid.NewGuid().ToString("N");
        var value = Encoding.UTF8.GetBytes("over TLS with an ACL user");
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(key, value, StoreSetMode.Set, TimeSpan.FromMinutes(1)));
        var items = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, items);
        Assert.True(items[0].Found);
        Assert.Equal(value, items[0].Value.ToArray());
    }

    [Fact]
    public async Task Tls_and_an_acl_user_read_and_write()
    {
        await using var store = new RedisCacheStore(Options(servers.TlsServer));
        await RoundTripAsync(store);
    }

    [Fact]
    public async Task The_engine_runs_over_tls_with_a_client_certificate()
    {
        var options = Options(servers.MutualTlsServer);
        options.Tls.ClientCertificatePath = servers.Tls.ClientCertificatePath;
        options.Tls.ClientKeyPath = servers.Tls.ClientKeyPath;
        await using var store = new RedisCacheStore(options);
        await RoundTripAsync(store);
        var cache = new ApplicationCache(store, new TenantCacheOptions { Application = "secure-redis" });
        var tenant = cache.Tenant("t1");
        await tenant.SetAsync("k", "v1");
        Assert.Equal("v1", (await tenant.GetAsync<string>("k")).Value);
        await tenant.InvalidateAsync();
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public void Without_the_required_client_certificate_the_store_is_refused_with_a_typed_error()
    {
        // With TLS 1.3 the server refuses after the handshake: the client sees a closed connection, not a
        // handshake failure, so the error is the store's connection error with the hint, not RedisTlsException.
        var error = Assert.ThrowsAny<CacheStoreException>(() => new RedisCacheStore(Options(servers.MutualTlsServer)));
        Assert.True(error is RedisTlsException || error.Message.Contains("ClientCertificatePath", StringComparison.Ordinal), error.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(",abortConnect=false")]
    public void A_wrong_password_is_a_typed_error_even_with_abort_connect_off(string extra)
    {
        var options = Options(servers.TlsServer, extra: extra);
        options.Password = "Wrong-R3dis-Password";
        var error = Assert.Throws<RedisAuthenticationException>(() => new RedisCacheStore(options));
        Assert.Contains("refused the credentials", error.Message);
        Assert.DoesNotContain("Wrong-R3dis-Password", error.ToString());
    }

    [Fact]
    public void No_credentials_for_a_server_without_a_default_user_is_a_typed_error()
    {
        Assert.Throws<RedisAuthenticationException>(() => new RedisCacheStore(Options(servers.AclServer, tls: false, credentials: false)));
    }

    [Fact]
    public async Task Credentials_in_the_options_work_without_tls()
    {
        await using var store = new RedisCacheStore(Options(servers.AclServer, tls: false));
        await RoundTripAsync(store);
    }

    [Fact]
    public void A_certificate_of_an_untrusted_ca_is_refused_naming_the_chain()
    {
        var error = Assert.Throws<RedisTlsException>(() => new RedisCacheStore(Options(servers.UntrustedTlsServer, credentials: false)));
        Assert.Contains("not trusted", error.Message);
    }

    [Fact]
    public void A_certificate_for_another_name_is_refused()
    {
        var options = Options(servers.TlsServer);
        options.Tls.TargetHost = "cache.example.com";
        var error = Assert.Throws<RedisTlsException>(() => new RedisCacheStore(options));
        Assert.Contains("expected name", error.Message);
    }

    [Fact]
    public void Tls_to_a_plaintext_port_fails_and_never_falls_back()
    {
        var error = Assert.ThrowsAny<CacheStoreException>(() => new RedisCacheStore(Options(servers.AclServer)));
        Assert.True(error is RedisTlsException, error.ToString());
    }

    [Fact]
    public void Plaintext_to_a_tls_port_fails_with_a_hint()
    {
        var error = Assert.ThrowsAny<CacheStoreException>(() => new RedisCacheStore(Options(servers.TlsServer, tls: false)));
        Assert.Contains("RedisStoreOptions.Tls", error.Message);
    }

    [Fact]
    public void Invalid_security_options_are_named()
    {
        var options = new RedisStoreOptions { Configuration = "127.0.0.1:6379", User = "has space", Password = "" };
        options.Tls.CertificateAuthorityPath = "/nonexistent/ca.pem";
        var message = Assert.Throws<ArgumentException>(() => options.Validate()).Message;
        Assert.Contains("User must be", message);
        Assert.Contains("Password is empty", message);
        Assert.Contains("Tls.Enabled is false", message);
    }
}
