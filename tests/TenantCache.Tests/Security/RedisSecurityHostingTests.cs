using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TenantCache.Redis;
using TenantCache.Stores;
using TenantCache.Tests.Engine;

namespace TenantCache.Tests.Security;

/// <summary>Redis TLS and ACL credentials bound from configuration, through the host.</summary>
public sealed class RedisSecurityHostingTests(SecureRedisFixture servers) : IClassFixture<SecureRedisFixture>
{
    private IHost Build(string password, CapturingLoggerFactory logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TenantCache:Redis:Configuration"] = $"{servers.TlsServer.Endpoint},abortConnect=false,connectTimeout=3000",
            ["TenantCache:Redis:User"] = SecureRedisFixture.User,
            ["TenantCache:Redis:Password"] = password, // in production: an environment variable or a secret store
            ["TenantCache:Redis:Tls:Enabled"] = "true",
            ["TenantCache:Redis:Tls:CertificateAuthorityPath"] = servers.Tls.CaPath,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddTenantCache(o => o.Application = "secure-redis-app")
            .WithRedis(builder.Configuration.GetSection(RedisStoreOptions.SectionName));
        return builder.Build();
    }

    [Fact]
    public async Task Credentials_and_tls_from_configuration_serve_the_engine_and_stay_out_of_the_logs()
    {
        var logs = new CapturingLoggerFactory();
        using var host = Build(SecureRedisFixture.Password, logs);
        await host.StartAsync();
        var tenant = host.Services.GetRequiredService<ApplicationCache>().Tenant("t1");
        await tenant.SetAsync("k", "protected");
        Assert.Equal("protected", (await tenant.GetAsync<string>("k")).Value);
        await host.StopAsync();
        Assert.DoesNotContain(SecureRedisFixture.Password, logs.AllText);
    }

    [Fact]
    public async Task A_wrong_password_stops_the_start_with_the_typed_error()
    {
        var logs = new CapturingLoggerFactory();
        using var host = Build("Not-The-Redis-Password-9", logs);
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() => host.StartAsync());
        Assert.DoesNotContain("Not-The-Redis-Password-9", error.ToString());
        Assert.DoesNotContain("Not-The-Redis-Password-9", logs.AllText);
    }
}

/// <summary>The whole engine contract on Redis over TLS with an ACL user.</summary>
public sealed class RedisTlsEngineTests(SecureRedisFixture servers) : EngineContractTests, IClassFixture<SecureRedisFixture>
{
    protected override Task<ICacheStore> CreateStoreAsync()
    {
        var options = new RedisStoreOptions
        {
            Configuration = servers.TlsServer.Endpoint,
            User = SecureRedisFixture.User,
            Password = SecureRedisFixture.Password,
        };
        options.Tls.Enabled = true;
        options.Tls.CertificateAuthorityPath = servers.Tls.CaPath;
        return Task.FromResult<ICacheStore>(new RedisCacheStore(options));
    }
}
