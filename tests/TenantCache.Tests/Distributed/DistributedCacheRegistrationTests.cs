using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Distributed;
using TenantCache.Tenancy;

namespace TenantCache.Tests.Distributed;

public sealed class DistributedCacheRegistrationTests
{
    private static readonly DistributedCacheEntryOptions FiveMinutes = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };

    private sealed class PlaceholderCache : IDistributedCache
    {
        public byte[]? Get(string key) => [0xBA, 0xD];

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.CompletedTask;

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key)
        {
        }

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.CompletedTask;
    }

    [Fact]
    public async Task It_replaces_an_earlier_registration_survives_a_later_TryAdd_and_needs_no_logging()
    {
        var services = new ServiceCollection();
        services.AddScoped<IDistributedCache, PlaceholderCache>();
        services.AddTenantCache(o => o.Application = "app").AsDistributedCache();
        services.AddDistributedMemoryCache(); // TryAdd: leaves ours in place

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IDistributedCache));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var cache = provider.GetRequiredService<IDistributedCache>();
        Assert.IsAssignableFrom<IBufferDistributedCache>(cache);
        Assert.Same(cache, provider.GetRequiredService<IDistributedCache>());
        Assert.Null(await cache.GetAsync("k"));
        await cache.SetAsync("k", [1], FiveMinutes);
        Assert.Equal([1], (await provider.GetRequiredService<ITenantCache>().GetAsync<byte[]>("k")).Value);
    }

    [Fact]
    public async Task Expirations_follow_the_TimeProvider_registered_in_the_container()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddTenantCache(o => o.Application = "clocked").AsDistributedCache();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();

        await cache.SetAsync("k", [1], FiveMinutes);
        await cache.SetAsync("at", [2], new DistributedCacheEntryOptions { AbsoluteExpiration = clock.GetUtcNow().AddMinutes(1) });
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal([1], await cache.GetAsync("k"));
        Assert.Null(await cache.GetAsync("at"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public async Task The_current_tenant_scope_keys_every_call_by_the_accessors_tenant()
    {
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "app").WithAmbientTenant().AsDistributedCache(DistributedCacheScope.CurrentTenant);
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();
        using (AmbientTenant.Use("acme"))
        {
            await cache.SetAsync("k", [1], FiveMinutes);
        }

        Assert.Throws<MissingTenantException>(() => cache.Get("k"));
        var app = provider.GetRequiredService<ITenantCache>();
        Assert.Equal([1], (await app.Tenant("acme").GetAsync<byte[]>("k")).Value);
        Assert.False((await app.GetAsync<byte[]>("k")).HasValue);
    }

    [Fact]
    public async Task The_current_tenant_scope_without_an_accessor_fails_with_a_message_saying_what_to_add()
    {
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "app").AsDistributedCache(DistributedCacheScope.CurrentTenant);
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IDistributedCache>());
        Assert.Contains("WithTenantAccessor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_scope_is_refused()
    {
        var builder = new ServiceCollection().AddTenantCache(o => o.Application = "app");
        Assert.Equal("scope", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AsDistributedCache((DistributedCacheScope)7)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ((ICacheScope)null!).AsDistributedCache());
    }
}
