using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Memcached;

namespace TenantCache.Tests.Hosting;

/// <summary>Options bound from configuration: the appsettings.json layout documented in docs/api.md.</summary>
public sealed class ConfigurationBindingTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    private static ServiceProvider Build(IConfiguration configuration, Action<TenantCacheBuilder>? more = null)
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName));
        more?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_documented_appsettings_layout_works()
    {
        const string json = """
            {
              "TenantCache": {
                "Application": "origin",
                "DefaultExpiration": "00:05:00",
                "Memcached": {
                  "Servers": "127.0.0.1:11211,10.0.0.2:11211",
                  "OperationTimeout": "00:00:01"
                }
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName))
            .WithMemcached(configuration.GetSection(MemcachedOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("origin", provider.GetRequiredService<ITenantCache>().Application);
        Assert.Equal(2, provider.GetRequiredService<MemcachedClient>().Servers.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), provider.GetRequiredService<IOptions<MemcachedOptions>>().Value.OperationTimeout);
    }

    [Fact]
    public async Task Every_core_option_binds_from_its_key()
    {
        var configuration = Configuration(
            ("TenantCache:Application", "origin"),
            ("TenantCache:DefaultExpiration", "00:02:30"),
            ("TenantCache:MaxValueBytes", "4096"),
            ("TenantCache:MaxScopeDepth", "3"),
            ("TenantCache:MaxTagsPerEntry", "2"),
            ("TenantCache:ThrowOnStoreErrors", "true"),
            ("TenantCache:TraceScopeDepth", "true"));
        await using var provider = Build(configuration);

        var options = provider.GetRequiredService<IOptions<TenantCacheOptions>>().Value;
        Assert.Equal("origin", options.Application);
        Assert.Equal(TimeSpan.FromSeconds(150), options.DefaultExpiration);
        Assert.Equal((4096, 3, 2), (options.MaxValueBytes, options.MaxScopeDepth, options.MaxTagsPerEntry));
        Assert.True(options.ThrowOnStoreErrors);
        Assert.True(options.TraceScopeDepth);
        Assert.Equal("origin", provider.GetRequiredService<ITenantCache>().Application);
    }

    [Fact]
    public async Task The_delegate_runs_after_binding_and_unset_keys_keep_their_defaults()
    {
        var configuration = Configuration(("TenantCache:Application", "origin"), ("TenantCache:MaxScopeDepth", "3"));
        var services = new ServiceCollection();
        services.AddTenantCache(configuration.GetSection("TenantCache"), o => o.MaxScopeDepth = 5);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TenantCacheOptions>>().Value;
        Assert.Equal(("origin", 5), (options.Application, options.MaxScopeDepth));
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultExpiration);
    }

    [Fact]
    public async Task An_invalid_value_fails_at_startup_naming_the_configuration_key()
    {
        await using var provider = Build(Configuration(("TenantCache:Application", "origin"), ("TenantCache:DefaultExpiration", "-00:00:01")));
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("TenantCacheOptions.DefaultExpiration", error.Message);
        Assert.Contains("'TenantCache:DefaultExpiration'", error.Message);
    }

    [Fact]
    public async Task A_missing_application_fails_at_startup_naming_the_key()
    {
        await using var provider = Build(Configuration(("Elsewhere:Application", "origin")));
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("'TenantCache:Application'", error.Message);
    }

    [Fact]
    public async Task A_value_that_is_not_a_TimeSpan_fails_at_startup_naming_the_key()
    {
        await using var provider = Build(Configuration(("TenantCache:Application", "origin"), ("TenantCache:DefaultExpiration", "five minutes")));
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("TenantCache:DefaultExpiration", error.Message);
    }

    [Fact]
    public async Task Memcached_options_bind_from_the_nested_section()
    {
        var configuration = Configuration(
            ("TenantCache:Application", "origin"),
            ("TenantCache:Memcached:Servers", "127.0.0.1:11211, 10.0.0.2:11211:2"),
            ("TenantCache:Memcached:OperationTimeout", "00:00:00.250"),
            ("TenantCache:Memcached:ConnectTimeout", "00:00:02"),
            ("TenantCache:Memcached:ConnectionsPerServer", "4"),
            ("TenantCache:Memcached:FailureThreshold", "5"),
            ("TenantCache:Memcached:RetryDelay", "00:00:01"),
            ("TenantCache:Memcached:MaxRetryDelay", "00:01:00"));
        await using var provider = Build(configuration, b => b.WithMemcached(configuration.GetSection(MemcachedOptions.SectionName)));

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<MemcachedOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
        Assert.Equal((4, 5), (options.ConnectionsPerServer, options.FailureThreshold));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), (options.RetryDelay, options.MaxRetryDelay));
        var client = provider.GetRequiredService<MemcachedClient>();
        Assert.Equal([new ServerEndpoint("127.0.0.1"), new ServerEndpoint("10.0.0.2", weight: 2)], client.Servers);
        Assert.IsType<MemcachedCacheStore>(provider.GetRequiredService<TenantCache.Stores.ICacheStore>());
    }

    [Fact]
    public async Task Servers_may_be_an_array_of_strings()
    {
        var configuration = Configuration(
            ("TenantCache:Memcached:Servers:0", "127.0.0.1:11211"),
            ("TenantCache:Memcached:Servers:1", "127.0.0.1:11212"));
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "origin").WithMemcached(configuration.GetSection("TenantCache:Memcached"));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(["127.0.0.1:11211", "127.0.0.1:11212"], provider.GetRequiredService<MemcachedClient>().Servers.Select(s => s.ToString()));
    }

    [Fact]
    public async Task Endpoints_may_be_objects()
    {
        var configuration = Configuration(
            ("TenantCache:Memcached:Endpoints:0:Host", "10.0.0.1"),
            ("TenantCache:Memcached:Endpoints:1:Host", "10.0.0.2"),
            ("TenantCache:Memcached:Endpoints:1:Port", "11311"),
            ("TenantCache:Memcached:Endpoints:1:Weight", "3"));
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "origin").WithMemcached(configuration.GetSection("TenantCache:Memcached"));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal([new ServerEndpoint("10.0.0.1"), new ServerEndpoint("10.0.0.2", 11311, 3)], provider.GetRequiredService<MemcachedClient>().Servers);
    }

    [Fact]
    public async Task Invalid_memcached_settings_fail_at_startup_naming_the_setting_and_the_section()
    {
        var configuration = Configuration(
            ("TenantCache:Memcached:Servers", "127.0.0.1:11211"),
            ("TenantCache:Memcached:OperationTimeout", "00:00:00"));
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "origin").WithMemcached(configuration.GetSection("TenantCache:Memcached"), o => o.ConnectionsPerServer = 0);
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("OperationTimeout", error.Message);
        Assert.Contains("ConnectionsPerServer", error.Message);
        Assert.Contains("'TenantCache:Memcached'", error.Message);
    }

    [Fact]
    public async Task A_missing_server_list_fails_at_startup()
    {
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "origin").WithMemcached(Configuration().GetSection("TenantCache:Memcached"));
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("MemcachedOptions.Servers is empty", error.Message);
    }
}
