using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TenantCache.Tenancy;

/// <summary>
/// Fails the start of a host that registered something scoped to the current tenant (a HybridCache,
/// an IDistributedCache) without a tenant accessor; and the one message for resolving it anyway.
/// </summary>
internal sealed class TenantAccessorRequirement : IValidateOptions<TenantCacheOptions>
{
    private readonly IServiceProviderIsService _services;
    private readonly string _component;

    private TenantAccessorRequirement(IServiceProviderIsService services, string component)
    {
        _services = services;
        _component = component;
    }

    public static string Message(string component) =>
        $"{component} needs a tenant accessor: call .WithTenantAccessor<T>(), .WithTenantAccessor(sp => ...) or .WithAmbientTenant() on AddTenantCache(...).";

    /// <summary>Checks at start that <see cref="ICurrentTenantCache"/> is registered, for <paramref name="component"/>.</summary>
    public static void Register(IServiceCollection services, string component) =>
        services.AddSingleton<IValidateOptions<TenantCacheOptions>>(sp => new TenantAccessorRequirement(sp.GetRequiredService<IServiceProviderIsService>(), component));

    /// <summary>The current-tenant cache, or the clear error naming <paramref name="component"/>.</summary>
    public static ICurrentTenantCache Resolve(IServiceProvider services, string component) =>
        services.GetService<ICurrentTenantCache>() ?? throw new InvalidOperationException(Message(component));

    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options) =>
        _services.IsService(typeof(ICurrentTenantCache)) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Message(_component));
}
