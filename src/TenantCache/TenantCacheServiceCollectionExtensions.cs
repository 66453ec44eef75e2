using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache;

/// <summary>Registers TenantCache in a service collection.</summary>
public static class TenantCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITenantCache"/> for one application, over the in-process
    /// <see cref="MemoryCacheStore"/> unless a store package replaces it (<c>.WithMemcached(...)</c>).
    /// Options are validated when the host starts.
    /// </summary>
    public static TenantCacheBuilder AddTenantCache(this IServiceCollection services, Action<TenantCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TenantCacheOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="ITenantCache"/> with options bound from a configuration section, by
    /// convention <see cref="TenantCacheOptions.SectionName"/>
    /// (<c>services.AddTenantCache(configuration.GetSection("TenantCache"))</c>): keys are the option
    /// names (<c>Application</c>, <c>DefaultExpiration</c> as <c>"00:05:00"</c>, ...). Validated when
    /// the host starts; a failure names the configuration key.
    /// </summary>
    public static TenantCacheBuilder AddTenantCache(this IServiceCollection services, IConfiguration configuration) =>
        AddTenantCache(services, configuration, static _ => { });

    /// <summary>
    /// Binds the options from <paramref name="configuration"/>, then lets <paramref name="configure"/>
    /// adjust them (for what configuration cannot express, such as <see cref="TenantCacheOptions.Serializer"/>).
    /// </summary>
    public static TenantCacheBuilder AddTenantCache(this IServiceCollection services, IConfiguration configuration, Action<TenantCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TenantCacheOptions>().Bind(configuration).Configure(configure);
        services.AddSingleton(new OptionsConfigurationSource<TenantCacheOptions>(configuration));
        return AddCore(services);
    }

    private static TenantCacheBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<TenantCacheOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenantCacheOptions>, TenantCacheOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemoryCacheStoreOptions>();
        services.TryAddSingleton<ICacheStore>(static sp => new MemoryCacheStore(sp.GetRequiredService<MemoryCacheStoreOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new ApplicationCache(
            sp.GetRequiredService<ICacheStore>(),
            sp.GetRequiredService<IOptions<TenantCacheOptions>>().Value,
            sp.GetService<ILogger<ApplicationCache>>(), // logging is optional, as in Microsoft's caches
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITenantCache>(static sp => sp.GetRequiredService<ApplicationCache>());
        return new TenantCacheBuilder(services);
    }
}
