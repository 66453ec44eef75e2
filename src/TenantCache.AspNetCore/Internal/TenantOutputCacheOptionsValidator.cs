using Microsoft.Extensions.Options;
using TenantCache.AspNetCore.OutputCaching;

namespace TenantCache.AspNetCore.Internal;

/// <summary>Runs <see cref="TenantOutputCacheOptions.Validate"/> for the options system, keeping its message.</summary>
internal sealed class TenantOutputCacheOptionsValidator : IValidateOptions<TenantOutputCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantOutputCacheOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"TenantOutputCacheOptions.{ex.ParamName}: {ex.Message}");
        }
    }
}
