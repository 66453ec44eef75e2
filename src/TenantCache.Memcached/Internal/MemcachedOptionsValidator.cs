using Microsoft.Extensions.Options;

namespace TenantCache.Memcached.Internal;

/// <summary>Validates <see cref="MemcachedOptions"/> for the options system (used with ValidateOnStart).</summary>
internal sealed class MemcachedOptionsValidator : IValidateOptions<MemcachedOptions>
{
    public ValidateOptionsResult Validate(string? name, MemcachedOptions options)
    {
        IReadOnlyList<string> errors = options.GetValidationErrors();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
