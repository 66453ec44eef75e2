using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Memcached;
using TenantCache.Stores;

namespace TenantCache.Tests.Memcached;

public sealed class DependencyInjectionTests
{
    private sealed class PlaceholderStore : ICacheStore
    {
        public int MaxValueLength => 1;

        public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) => default;

        public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) => default;

        public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => default;

        public ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default) => default;
    }

    [Fact]
    public async Task With_memcached_replaces_the_store_and_shares_one_client()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ICacheStore, PlaceholderStore>();
        new TenantCacheBuilder(services).WithMemcached(o => o.Servers = "127.0.0.1:1,127.0.0.1:2");
        new TenantCacheBuilder(services).WithMemcached(o => o.ConnectionsPerServer = 3);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var store = provider.GetRequiredService<ICacheStore>();
        var memcachedStore = Assert.IsType<MemcachedCacheStore>(store);
        Assert.Same(provider.GetRequiredService<MemcachedClient>(), memcachedStore.Client);
        Assert.Single(services, d => d.ServiceType == typeof(ICacheStore));
        Assert.Equal(2, memcachedStore.Client.Servers.Count);
        Assert.Equal(3, provider.GetRequiredService<IOptions<MemcachedOptions>>().Value.ConnectionsPerServer);
    }

    [Fact]
    public async Task Invalid_options_fail_with_a_clear_message()
    {
        var services = new ServiceCollection();
        new TenantCacheBuilder(services).WithMemcached(o => { o.Servers = "nohostport"; o.ConnectionsPerServer = 0; });
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<MemcachedClient>());
        Assert.Contains("host:port", error.Message);
        Assert.Contains("ConnectionsPerServer", error.Message);
    }

    [Fact]
    public async Task Options_are_validated_on_start()
    {
        var services = new ServiceCollection();
        new TenantCacheBuilder(services).WithMemcached(o => { o.Servers = "127.0.0.1:11211"; o.OperationTimeout = TimeSpan.Zero; });
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("OperationTimeout", error.Message);
    }
}
