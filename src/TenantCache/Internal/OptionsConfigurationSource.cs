using Microsoft.Extensions.Configuration;

namespace TenantCache.Internal;

/// <summary>
/// Remembers which configuration section an options type was bound from, so that validation
/// failures name the key an operator has to fix (<c>TenantCache:DefaultExpiration</c>), not only the property.
/// </summary>
internal sealed class OptionsConfigurationSource<TOptions>
{
    public OptionsConfigurationSource(IConfiguration configuration) =>
        Path = configuration is IConfigurationSection section ? section.Path : "";

    /// <summary>The section's path, empty for a configuration root.</summary>
    public string Path { get; }

    /// <summary>The full key of <paramref name="property"/> in configuration.</summary>
    public string KeyOf(string property) => Path.Length == 0 ? property : ConfigurationPath.Combine(Path, property);
}
