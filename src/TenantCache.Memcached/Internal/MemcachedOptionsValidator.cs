using Microsoft.Extensions.Options;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Validates <see cref="MemcachedOptions"/> for the options system (used with ValidateOnStart),
/// naming the configuration section when the options were bound from one.
/// </summary>
internal sealed class MemcachedOptionsValidator : IValidateOptions<MemcachedOptions>
{
    private readonly MemcachedConfigurationSection? _source;

    public MemcachedOptionsValidator(IEnumerable<MemcachedConfigurationSection> sources) =>
        _source = sources.LastOrDefault();

    public ValidateOptionsResult Validate(string? name, MemcachedOptions options)
    {
        var errors = options.GetValidationErrors();
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return _source is null
            ? ValidateOptionsResult.Fail(errors)
            : ValidateOptionsResult.Fail(errors.Select(e => $"{e} (configuration section '{_source.Path}')"));
    }
}
