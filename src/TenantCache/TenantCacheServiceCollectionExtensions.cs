using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

        services.AddOptions<TenantCacheOptions>()
            .Configure(configure)
            .Validate(static o => TryValidate(o), "TenantCacheOptions are invalid: Application is required and limits must be in range (see TenantCacheOptions.Validate).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemoryCacheStoreOptions>();
        services.TryAddSingleton<ICacheStore>(static sp => new MemoryCacheStore(sp.GetRequiredService<MemoryCacheStoreOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ApplicationCache>();
        services.TryAddSingleton<ITenantCache>(static sp => sp.GetRequiredService<ApplicationCache>());
        return new TenantCacheBuilder(services);
    }

    private static bool TryValidate(TenantCacheOptions options)
    {
        try
        {
            options.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
