using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantCache.Hybrid;
using TenantCache.Tenancy;

namespace TenantCache.Tests.Hybrid;

/// <summary>AsHybridCache / AsKeyedHybridCache on the TenantCache builder.</summary>
public sealed class HybridRegistrationTests
{
    private static ServiceCollection Services() => (ServiceCollection)new ServiceCollection().AddLogging();

    [Fact]
    public async Task AsHybridCache_registers_one_singleton_over_the_application()
    {
        var services = Services();
        services.AddTenantCache(o => o.Application = "orders").AsHybridCache(HybridCacheScope.Application);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var cache = provider.GetRequiredService<HybridCache>();
        Assert.Same(cache, provider.GetRequiredService<HybridCache>());
        Assert.Equal(HybridCacheScope.Application, Assert.IsType<TenantHybridCache>(cache).Scope);
        await cache.SetAsync("k", "v");
        Assert.Equal("v", (await provider.GetRequiredService<ITenantCache>().GetAsync<string>("k")).Value);
    }

    [Fact]
    public void AsHybridCache_replaces_Microsofts_registered_before_and_is_not_replaced_by_one_registered_after()
    {
        var before = Services();
        before.AddHybridCache();
        before.AddTenantCache(o => o.Application = "a").AsHybridCache(HybridCacheScope.Application);
        using (var provider = before.BuildServiceProvider())
        {
            Assert.IsType<TenantHybridCache>(provider.GetRequiredService<HybridCache>());
        }

        var after = Services();
        after.AddTenantCache(o => o.Application = "a").AsHybridCache(HybridCacheScope.Application);
        after.AddHybridCache();
        using (var provider = after.BuildServiceProvider())
        {
            Assert.IsType<TenantHybridCache>(provider.GetRequiredService<HybridCache>());
        }
    }

    [Fact]
    public async Task Keyed_registrations_give_an_application_and_a_tenant_cache_side_by_side()
    {
        var services = Services();
        services.AddTenantCache(o => o.Application = "a")
            .AsKeyedHybridCache("shared", HybridCacheScope.Application)
            .AsKeyedHybridCache(typeof(ICurrentTenantCache), HybridCacheScope.CurrentTenant)
            .WithAmbientTenant(); // the accessor may come after
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.Null(provider.GetService<HybridCache>());
        var shared = Assert.IsType<TenantHybridCache>(provider.GetRequiredKeyedService<HybridCache>("shared"));
        var tenant = Assert.IsType<TenantHybridCache>(provider.GetRequiredKeyedService<HybridCache>(typeof(ICurrentTenantCache)));
        Assert.Equal(HybridCacheScope.Application, shared.Scope);
        Assert.Equal(HybridCacheScope.CurrentTenant, tenant.Scope);

        using (AmbientTenant.Use("acme"))
        {
            await tenant.SetAsync("k", "acme");
        }

        Assert.Equal("miss", await shared.GetOrCreateAsync("k", _ => ValueTask.FromResult("miss")));
    }

    [Fact]
    public void Keyed_and_unkeyed_registrations_do_not_replace_each_other()
    {
        var services = Services();
        services.AddTenantCache(o => o.Application = "a")
            .AsKeyedHybridCache("k", HybridCacheScope.Application)
            .AsHybridCache(HybridCacheScope.Application)
            .AsKeyedHybridCache("other", HybridCacheScope.Application);
        using var provider = services.BuildServiceProvider();
        Assert.IsType<TenantHybridCache>(provider.GetRequiredKeyedService<HybridCache>("k"));
        Assert.IsType<TenantHybridCache>(provider.GetRequiredService<HybridCache>());
        Assert.NotSame(provider.GetRequiredKeyedService<HybridCache>("k"), provider.GetRequiredKeyedService<HybridCache>("other"));
    }

    [Fact]
    public void The_tenant_scope_without_a_tenant_accessor_fails_at_start_and_at_resolution_with_a_clear_message()
    {
        var services = Services();
        services.AddTenantCache(o => o.Application = "a").AsHybridCache(HybridCacheScope.CurrentTenant);
        using var provider = services.BuildServiceProvider();

        var atStart = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("WithTenantAccessor", atStart.Message);
        var atResolution = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<HybridCache>());
        Assert.Contains("HybridCacheScope.CurrentTenant", atResolution.Message);
    }

    [Fact]
    public void The_application_scope_needs_no_tenant_accessor()
    {
        var services = Services();
        services.AddTenantCache(o => o.Application = "a").AsHybridCache(HybridCacheScope.Application);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(provider.GetRequiredService<HybridCache>());
    }

    [Fact]
    public async Task A_delegate_accessor_is_asked_on_every_call_and_a_blank_tenant_is_no_tenant()
    {
        var current = "a";
        var services = Services();
        services.AddTenantCache(o => o.Application = "a")
            .WithTenantAccessor(_ => () => current)
            .AsHybridCache(HybridCacheScope.CurrentTenant);
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<HybridCache>();

        await cache.SetAsync("k", "for a");
        current = "b";
        Assert.Equal("miss", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("miss")));
        current = "a";
        Assert.Equal("for a", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("miss")));
        current = "  ";
        await Assert.ThrowsAsync<MissingTenantException>(async () => await cache.SetAsync("k", "v"));
        current = null;
        await Assert.ThrowsAsync<MissingTenantException>(async () => await cache.RemoveByTagAsync("*"));
    }

    [Fact]
    public void Invalid_arguments_and_options_are_refused()
    {
        var builder = Services().AddTenantCache(o => o.Application = "a");
        Assert.Throws<ArgumentOutOfRangeException>("scope", () => builder.AsHybridCache((HybridCacheScope)7));
        Assert.Throws<ArgumentNullException>("builder", () => TenantHybridCacheBuilderExtensions.AsHybridCache(null!, HybridCacheScope.Application));

        builder.AsHybridCache(HybridCacheScope.Application, o => o.DefaultEntryOptions = new() { Expiration = TimeSpan.Zero });
        using var provider = builder.Services.BuildServiceProvider();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<HybridCache>());
        Assert.Equal("DefaultEntryOptions", error.ParamName);
    }
}
