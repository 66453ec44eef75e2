using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantCache.Memcached.Internal;
using TenantCache.Stores;

namespace TenantCache.Memcached;

/// <summary>Registers the memcached client and the TenantCache store (an IDistributedCache comes from <c>.AsDistributedCache()</c>).</summary>
public static class MemcachedServiceCollectionExtensions
{
    /// <summary>
    /// Makes TenantCache use memcached: registers <see cref="MemcachedOptions"/> (validated at startup),
    /// a singleton <see cref="MemcachedClient"/>, and <see cref="ICacheStore"/> as
    /// <see cref="MemcachedCacheStore"/>, replacing the in-process store.
    /// </summary>
    public static TenantCacheBuilder WithMemcached(this TenantCacheBuilder builder, Action<MemcachedOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        AddMemcachedClient(services, configure);
        services.RemoveAll<ICacheStore>();
        services.TryAddSingleton(static sp => new MemcachedCacheStore(sp.GetRequiredService<MemcachedClient>()));
        services.AddSingleton<ICacheStore>(static sp => sp.GetRequiredService<MemcachedCacheStore>());
        return builder;
    }

    private static void AddMemcachedClient(IServiceCollection services, Action<MemcachedOptions> configure)
    {
        services.AddOptions<MemcachedOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemcachedOptions>, MemcachedOptionsValidator>());
        services.TryAddSingleton(static sp => new MemcachedClient(
            sp.GetRequiredService<IOptions<MemcachedOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MemcachedStartupCheck>());
    }
}
