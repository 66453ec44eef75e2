using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Redis;
using TenantCache.Stores;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary><c>WithRedis</c>: options from code or configuration, validated at startup; the cache works through it.</summary>
public sealed class RedisHostingTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Options_bound_from_configuration_give_a_working_cache_on_redis()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TenantCache:Application"] = "hosting-" + Guid.NewGuid().ToString("N")[..8],
            ["TenantCache:Redis:Configuration"] = fixture.Server.Endpoint,
            ["TenantCache:Redis:MaxValueLength"] = "4096",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName)).WithRedis(configuration.GetSection(RedisStoreOptions.SectionName));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var store = Assert.IsType<RedisCacheStore>(provider.GetRequiredService<ICacheStore>());
        Assert.Equal(4096, store.MaxValueLength);
        var tenant = provider.GetRequiredService<ITenantCache>().Tenant("t");
        await tenant.SetAsync("k", "on redis");
        Assert.Equal("on redis", (await tenant.GetAsync<string>("k")).Value);
        await tenant.InvalidateAsync();
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Invalid_options_fail_at_startup_naming_the_option()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(o => o.Application = "hosting").WithRedis(o => o.MaxValueLength = 0);
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Configuration is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxValueLength is 0", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The startup check of the settings under which Redis can bring an old version token back.</summary>
public sealed class RedisHazardTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_persisting_server_is_warned_about_and_one_without_persistence_is_not()
    {
        await using var persisting = await TenantCache.Harness.RedisProcess.StartAsync("--save", "60 1", "--appendonly", "yes");
        await using var store = new RedisCacheStore(new RedisStoreOptions { Configuration = persisting.Endpoint + ",allowAdmin=true" });
        var logger = new TenantCache.Tests.Support.ListLogger<RedisCacheStore>();
        var hazards = store.FindConfigurationHazards(logger);
        Assert.Contains(hazards, h => h.Contains("RDB snapshots", StringComparison.Ordinal));
        Assert.Contains(hazards, h => h.Contains("AOF", StringComparison.Ordinal));
        Assert.Equal(2, logger.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Id.Id == 3001));

        await using var withoutAdmin = new RedisCacheStore(new RedisStoreOptions { Configuration = persisting.Endpoint }); // no admin mode: nothing can be read
        var quiet = new TenantCache.Tests.Support.ListLogger<RedisCacheStore>();
        Assert.Empty(withoutAdmin.FindConfigurationHazards(quiet)); // skipped, never a startup failure
        Assert.Contains(quiet.Entries, e => e.Id.Id == 3002);

        await using var clean = await TenantCache.Harness.RedisProcess.StartAsync();
        await using var cleanStore = new RedisCacheStore(new RedisStoreOptions { Configuration = clean.Endpoint + ",allowAdmin=true" });
        Assert.Empty(cleanStore.FindConfigurationHazards());
    }
}
