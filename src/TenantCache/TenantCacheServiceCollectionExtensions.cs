using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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

        services.AddOptions<TenantCacheOptions>().Configure(configure).ValidateOnStart();
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

/// <summary>Runs <see cref="TenantCacheOptions.Validate"/> for the options system, keeping its message.</summary>
internal sealed class TenantCacheOptionsValidator : IValidateOptions<TenantCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"TenantCacheOptions.{ex.ParamName}: {ex.Message}");
        }
    }
}
