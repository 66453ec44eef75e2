using Microsoft.Extensions.DependencyInjection;

namespace TenantCache;

/// <summary>
/// Returned by <c>AddTenantCache</c>; store packages extend it (for example <c>.WithMemcached(...)</c>).
/// </summary>
public sealed class TenantCacheBuilder
{
    internal TenantCacheBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the cache is registered in.</summary>
    public IServiceCollection Services { get; }
}
