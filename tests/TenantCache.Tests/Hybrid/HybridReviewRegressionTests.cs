using System.ComponentModel;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantCache.Hybrid;
using TenantCache.Stores;
using TenantCache.Tenancy;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Hybrid;

/// <summary>Regressions for defects of the HybridCache adapter found in review.</summary>
public sealed class HybridReviewRegressionTests
{
    private readonly ListLogger<TenantHybridCache> _log = new();

    private (HybridCache App, HybridCache Tenant, ServiceProvider Provider) Build(ICacheStore store, Action<TenantCacheOptions>? configure = null, bool withAccessor = true)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(store);
        services.AddSingleton<ILogger<TenantHybridCache>>(_log);
        var builder = services.AddTenantCache(o =>
        {
            o.Application = "review";
            configure?.Invoke(o);
        });
        if (withAccessor)
        {
            builder.WithAmbientTenant();
        }

        builder.AsKeyedHybridCache("app", HybridCacheScope.Application).AsKeyedHybridCache("tenant", HybridCacheScope.CurrentTenant);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredKeyedService<HybridCache>("app"), provider.GetRequiredKeyedService<HybridCache>("tenant"), provider);
    }

    [Fact]
    public async Task Concurrent_callers_of_a_mutable_type_without_a_serializer_get_their_own_instances()
    {
        var (_, tenant, provider) = Build(new MemoryCacheStore());
        await using var _ = provider;
        using var scope = AmbientTenant.Use("acme");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var made = new List<Item> { new("apple", 1) };
        var calls = 0;
        async ValueTask<List<Item>> Factory(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            return made;
        }

        var leader = tenant.GetOrCreateAsync<List<Item>>("cart", Factory).AsTask();
        var joiner = tenant.GetOrCreateAsync<List<Item>>("cart", Factory).AsTask();
        await Task.Delay(50);
        release.SetResult();
        var mine = await leader.WaitAsync(TimeSpan.FromSeconds(5));
        var theirs = await joiner.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, calls);
        Assert.Same(made, mine);
        Assert.NotSame(mine, theirs);
        mine.Add(new Item("pear", 2));
        Assert.Equal([new Item("apple", 1)], theirs);
    }

    [Fact]
    public async Task Concurrent_callers_of_an_immutable_type_share_the_one_instance()
    {
        var (app, _, provider) = Build(new MemoryCacheStore());
        await using var _ = provider;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var made = new Frozen("v");
        async ValueTask<Frozen> Factory(CancellationToken ct)
        {
            await release.Task;
            return made;
        }

        var leader = app.GetOrCreateAsync("frozen", Factory).AsTask();
        var joiner = app.GetOrCreateAsync("frozen", Factory).AsTask();
        await Task.Delay(50);
        release.SetResult();

        Assert.Same(made, await leader.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Same(made, await joiner.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(typeof(string), true)]
    [InlineData(typeof(int), true)]
    [InlineData(typeof(int?), true)]
    [InlineData(typeof(Guid), true)]
    [InlineData(typeof(Frozen), true)]
    [InlineData(typeof(byte[]), false)]
    [InlineData(typeof(List<Item>), false)]
    [InlineData(typeof(Item), false)]
    [InlineData(typeof(UnsealedFrozen), false)]
    [InlineData(typeof(ReadOnlyMemory<byte>), false)]
    [InlineData(typeof(object), false)]
    public void Immutable_types_are_the_ones_Microsofts_HybridCache_treats_as_such(Type type, bool immutable) =>
        Assert.Equal(immutable, typeof(ImmutableTypes).GetMethod(nameof(ImmutableTypes.Is))!.MakeGenericMethod(type).Invoke(null, null));

    [Fact]
    public async Task SetAsync_over_the_limit_does_not_throw_when_the_store_cannot_remove_the_old_entry()
    {
        var (app, _, provider) = Build(new DownStore(), o => o.MaxValueBytes = 100);
        await using var _ = provider;

        await app.SetAsync("k", new string('x', 500));

        Assert.Contains(_log.Entries, e => e.Id.Id == 1102);
        var failed = Assert.Single(_log.Entries, e => e.Id.Id == 1103);
        Assert.Equal(LogLevel.Warning, failed.Level);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task RemoveByTagAsync_of_no_tag_does_nothing_even_without_a_current_tenant(string? tag)
    {
        var (_, tenant, provider) = Build(new MemoryCacheStore());
        await using var _ = provider;

        await tenant.RemoveByTagAsync(tag!);
        await Assert.ThrowsAsync<MissingTenantException>(async () => await tenant.RemoveByTagAsync("t"));
    }

    [Fact]
    public async Task Too_many_tags_are_reported_against_the_tags_parameter()
    {
        var (app, _, provider) = Build(new MemoryCacheStore(), o => o.MaxTagsPerEntry = 2);
        await using var _ = provider;
        string[] tags = ["a", "b", "c"];

        var onCreate = await Assert.ThrowsAsync<ArgumentException>(async () => await app.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), tags: tags));
        var onSet = await Assert.ThrowsAsync<ArgumentException>(async () => await app.SetAsync("k", "v", tags: tags));

        Assert.Equal("tags", onCreate.ParamName);
        Assert.Equal("tags", onSet.ParamName);
        Assert.Contains("at most 2 tags", onSet.Message, StringComparison.Ordinal);
    }

    public sealed record Item(string Name, int Count);

    [ImmutableObject(true)]
    public sealed record Frozen(string Value);

    [ImmutableObject(true)]
    public record UnsealedFrozen(string Value);
}
