using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// A view of a memcached configuration section in which <c>"Servers": ["a:11211", "b:11211"]</c>
/// reads as <c>"Servers": "a:11211,b:11211"</c>, so that the binder (which cannot bind an array to a
/// string) accepts both spellings. Everything else is the section itself.
/// </summary>
internal sealed class ServerListConfiguration : IConfiguration
{
    private const string Key = nameof(MemcachedOptions.Servers);
    private readonly IConfiguration _inner;

    private ServerListConfiguration(IConfiguration inner) => _inner = inner;

    public string? this[string key]
    {
        get => IsServers(key) ? GetSection(Key).Value : _inner[key];
        set => _inner[key] = value;
    }

    /// <summary>The section itself, or the view when its <c>Servers</c> is an array.</summary>
    public static IConfiguration For(IConfiguration section)
    {
        var servers = section.GetSection(Key);
        return servers.Value is null && servers.GetChildren().Any() ? new ServerListConfiguration(section) : section;
    }

    public IConfigurationSection GetSection(string key) =>
        IsServers(key) ? new JoinedSection(_inner.GetSection(Key)) : _inner.GetSection(key);

    public IEnumerable<IConfigurationSection> GetChildren() =>
        _inner.GetChildren().Select(c => IsServers(c.Key) ? new JoinedSection(c) : c);

    public IChangeToken GetReloadToken() => _inner.GetReloadToken();

    private static bool IsServers(string key) => string.Equals(key, Key, StringComparison.OrdinalIgnoreCase);

    /// <summary>The array section with its items joined by commas into its value, and no children.</summary>
    private sealed class JoinedSection(IConfigurationSection array) : IConfigurationSection
    {
        public string Key => array.Key;

        public string Path => array.Path;

        public string? Value
        {
            get => string.Join(',', array.GetChildren().Select(c => c.Value).OfType<string>());
            set => throw new NotSupportedException("The joined server list is read-only.");
        }

        public string? this[string key]
        {
            get => null;
            set => throw new NotSupportedException("The joined server list is read-only.");
        }

        public IConfigurationSection GetSection(string key) => array.GetSection(key);

        public IEnumerable<IConfigurationSection> GetChildren() => [];

        public IChangeToken GetReloadToken() => array.GetReloadToken();
    }
}
