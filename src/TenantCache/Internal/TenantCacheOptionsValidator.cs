using Microsoft.Extensions.Options;

namespace TenantCache.Internal;

/// <summary>
/// Runs <see cref="TenantCacheOptions.Validate"/> for the options system, keeping its message and
/// naming the configuration key when the options were bound from configuration.
/// </summary>
internal sealed class TenantCacheOptionsValidator : IValidateOptions<TenantCacheOptions>
{
    private readonly OptionsConfigurationSource<TenantCacheOptions>? _source;

    public TenantCacheOptionsValidator(IEnumerable<OptionsConfigurationSource<TenantCacheOptions>> sources) =>
        _source = sources.LastOrDefault();

    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            var where = _source is null || ex.ParamName is null ? "" : $" (configuration key '{_source.KeyOf(ex.ParamName)}')";
            return ValidateOptionsResult.Fail($"TenantCacheOptions.{ex.ParamName}: {ex.Message}{where}");
        }
    }
}
