using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Memcached.Internal;

namespace TenantCache.Memcached;

/// <summary>Makes TenantCache use memcached with <see cref="MemcachedOptions"/> bound from configuration.</summary>
public static class MemcachedConfigurationExtensions
{
    /// <summary>
    /// Like <c>WithMemcached(Action&lt;MemcachedOptions&gt;)</c>, with the options bound from a section, by
    /// convention <see cref="MemcachedOptions.SectionName"/>
    /// (<c>.WithMemcached(configuration.GetSection("TenantCache:Memcached"))</c>). <c>Servers</c> is
    /// <c>"host:port[:weight],..."</c> or an array of such strings; <c>Endpoints</c> may instead list
    /// objects (<c>{ "Host": "10.0.0.1", "Port": 11211, "Weight": 2 }</c>); timeouts are TimeSpan
    /// strings (<c>"00:00:01"</c>). Validated when the host starts; failures name the section.
    /// </summary>
    public static TenantCacheBuilder WithMemcached(this TenantCacheBuilder builder, IConfiguration configuration) =>
        WithMemcached(builder, configuration, static _ => { });

    /// <summary>Binds the options from <paramref name="configuration"/>, then lets <paramref name="configure"/> adjust them.</summary>
    public static TenantCacheBuilder WithMemcached(this TenantCacheBuilder builder, IConfiguration configuration, Action<MemcachedOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<MemcachedOptions>()
            .Configure(options => ServerListConfiguration.For(configuration).Bind(options));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<MemcachedOptions>>(new ConfigurationChangeTokenSource<MemcachedOptions>(configuration));
        builder.Services.AddSingleton(new MemcachedConfigurationSection(configuration));
        return MemcachedServiceCollectionExtensions.WithMemcached(builder, configure);
    }
}
