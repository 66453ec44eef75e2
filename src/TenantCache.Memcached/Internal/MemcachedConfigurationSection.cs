using Microsoft.Extensions.Configuration;

namespace TenantCache.Memcached.Internal;

/// <summary>The configuration section <see cref="MemcachedOptions"/> were bound from, named in validation errors.</summary>
internal sealed class MemcachedConfigurationSection(IConfiguration configuration)
{
    /// <summary>The section's path; empty for a configuration root.</summary>
    public string Path { get; } = configuration is IConfigurationSection section ? section.Path : "";
}
