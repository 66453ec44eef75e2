using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Tenancy;

namespace TenantCache.Distributed;

/// <summary>Fails the start of a host that asks for a tenant-scoped IDistributedCache without a tenant accessor.</summary>
internal sealed class TenantScopeDistributedCacheValidator : IValidateOptions<TenantCacheOptions>
{
    public const string Message =
        "AsDistributedCache(DistributedCacheScope.CurrentTenant) needs a tenant accessor: " +
        "call .WithTenantAccessor<T>(), .WithTenantAccessor(sp => ...) or .WithAmbientTenant() on AddTenantCache(...).";

    private readonly IServiceProviderIsService _services;

    public TenantScopeDistributedCacheValidator(IServiceProviderIsService services) => _services = services;

    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options) =>
        _services.IsService(typeof(ICurrentTenantCache)) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Message);
}
