using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TenantCache.Redis.Internal;
using Microsoft.Extensions.Options;
using TenantCache.Stores;

namespace TenantCache.Redis;

/// <summary>Registers the Redis store for TenantCache.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Makes TenantCache use Redis: registers <see cref="RedisStoreOptions"/> (validated at startup) and
    /// <see cref="ICacheStore"/> as a singleton <see cref="RedisCacheStore"/> that connects with
    /// <see cref="RedisStoreOptions.Configuration"/>, replacing the in-process store.
    /// </summary>
    public static TenantCacheBuilder WithRedis(this TenantCacheBuilder builder, Action<RedisStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<RedisStoreOptions>().Configure(configure);
        return AddStore(builder);
    }

    /// <summary>
    /// Makes TenantCache use Redis with options bound from <paramref name="section"/> (usually
    /// <c>configuration.GetSection(RedisStoreOptions.SectionName)</c>: <c>TenantCache:Redis</c>), validated at startup.
    /// </summary>
    public static TenantCacheBuilder WithRedis(this TenantCacheBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<RedisStoreOptions>().Bind(section);
        return AddStore(builder);
    }

    private static TenantCacheBuilder AddStore(TenantCacheBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>());
        services.RemoveAll<ICacheStore>();
        services.TryAddSingleton(static sp =>
        {
            var store = new RedisCacheStore(sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value);
            if (sp.GetService<ILoggerFactory>() is { } loggers)
            {
                store.FindConfigurationHazards(loggers.CreateLogger<RedisCacheStore>()); // warns once, at startup
            }

            return store;
        });
        services.AddSingleton<ICacheStore>(static sp => sp.GetRequiredService<RedisCacheStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStartupCheck>());
        return builder;
    }

    private sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisStoreOptions options) =>
            options.GetValidationErrors() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
