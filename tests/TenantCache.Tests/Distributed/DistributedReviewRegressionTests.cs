using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Distributed;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tenancy;

namespace TenantCache.Tests.Distributed;

/// <summary>Regressions for defects of the IDistributedCache adapter found in review.</summary>
public sealed class DistributedReviewRegressionTests
{
    private static readonly DistributedCacheEntryOptions FiveMinutes = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private ApplicationCache NewCache() =>
        new(new MemoryCacheStore(new MemoryCacheStoreOptions(), _time), new TenantCacheOptions { Application = "l2" }, timeProvider: _time);

    [Fact]
    public async Task A_set_after_a_miss_is_stamped_with_the_tokens_the_miss_read_so_an_invalidation_in_between_wins()
    {
        var tenant = NewCache().Tenant("acme");
        await tenant.SetAsync("warm", "x"); // the tenant's token exists
        var cache = tenant.AsDistributedCache();

        Assert.Null(await cache.GetAsync("k"));      // L2 miss: the factory starts from data before ...
        await tenant.InvalidateAsync();              // ... an invalidation that returns ...
        await cache.SetAsync("k", [1], FiveMinutes); // ... before the computed value is stored

        Assert.Null(await cache.GetAsync("k"));
        Assert.False(((IBufferDistributedCache)cache).TryGet("k", new System.Buffers.ArrayBufferWriter<byte>()));
    }

    [Fact]
    public async Task The_same_holds_through_the_buffer_read_the_sync_face_and_the_current_tenant()
    {
        var app = NewCache();
        var cache = new CurrentTenantCache(app, new DelegateTenantContextAccessor(() => "acme")).AsDistributedCache();

        Assert.False(cache.TryGet("k", new System.Buffers.ArrayBufferWriter<byte>())); // no token yet: the miss creates it
        await app.Tenant("acme").InvalidateAsync();
        cache.Set("k", new System.Buffers.ReadOnlySequence<byte>([1]), FiveMinutes);

        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public async Task Without_an_invalidation_the_set_after_a_miss_is_a_hit()
    {
        var cache = NewCache().Tenant("acme").AsDistributedCache();
        Assert.Null(await cache.GetAsync("k"));
        await cache.SetAsync("k", [1], FiveMinutes);
        Assert.Equal([1], await cache.GetAsync("k"));
    }

    [Fact]
    public async Task Past_the_window_a_set_reads_the_tokens_again_as_before()
    {
        var tenant = NewCache().Tenant("acme");
        var cache = tenant.AsDistributedCache();
        Assert.Null(await cache.GetAsync("k"));
        await tenant.InvalidateAsync();
        _time.Advance(RecentMissTokens.Window);

        await cache.SetAsync("k", [1], FiveMinutes);
        Assert.Equal([1], await cache.GetAsync("k"));
    }

    [Fact]
    public async Task A_miss_that_read_the_same_tokens_as_an_earlier_one_is_covered_for_a_whole_window_of_its_own()
    {
        // Review finding: the first miss's window used to cover later misses of the same tokens only
        // for what was left of it, so a get at 59.5 s and its set at 60.5 s lost an invalidation at 60.2 s.
        var tenant = NewCache().Tenant("acme");
        var cache = tenant.AsDistributedCache();
        Assert.Null(await cache.GetAsync("k"));                   // t = 0: a miss; its set never comes
        _time.Advance(TimeSpan.FromSeconds(59.5));
        Assert.Null(await cache.GetAsync("k"));                   // t = 59.5: a caller misses and computes
        _time.Advance(TimeSpan.FromSeconds(0.7));
        await tenant.InvalidateAsync();                            // t = 60.2: the data changed
        _time.Advance(TimeSpan.FromSeconds(0.3));
        await cache.SetAsync("k", [1], FiveMinutes);               // t = 60.5: the value computed before it
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public void Several_token_sets_of_one_key_are_held_and_the_oldest_live_one_is_recalled()
    {
        var memory = new RecentMissTokens(_time);
        memory.Remember("k", [1]);
        _time.Advance(TimeSpan.FromSeconds(30));
        memory.Remember("k", [2]);                                 // after an invalidation
        Assert.Equal(new ulong[] { 1 }, memory.Recall("k")!);
        _time.Advance(TimeSpan.FromSeconds(30));                   // [1] is 60 s old
        Assert.Equal(new ulong[] { 2 }, memory.Recall("k")!);
        memory.Remember("k", [2]);                                 // a miss refreshes its set's window
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new ulong[] { 2 }, memory.Recall("k")!);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(memory.Recall("k"));
    }

    [Fact]
    public void Forgetting_a_live_set_because_the_memory_is_full_is_reported()
    {
        var forgotten = 0;
        var memory = new RecentMissTokens(_time, capacity: 2, forgotLive: () => forgotten++);
        memory.Remember("a", [1]);
        memory.Remember("b", [2]);
        memory.Remember("b", [2]);
        Assert.Equal(0, forgotten);
        memory.Remember("c", [3]);
        Assert.Equal(1, forgotten);
        Assert.Null(memory.Recall("a"));
        _time.Advance(RecentMissTokens.Window);
        memory.Remember("d", [4]);                                 // the expired ones go without a report
        Assert.Equal(1, forgotten);
        Assert.Equal(1, memory.Count);
    }

    [Fact]
    public void The_memory_is_bounded_in_count_forgetting_the_oldest_first_and_keeps_the_oldest_tokens_of_a_key()
    {
        var memory = new RecentMissTokens(_time, capacity: 2);
        memory.Remember("a", [1]);
        memory.Remember("a", [9]); // a second miss must not replace what an earlier getter may still rely on
        memory.Remember("b", [2]);
        memory.Remember("c", [3]);

        Assert.Null(memory.Recall("a"));
        Assert.Equal(new ulong[] { 2 }, memory.Recall("b")!);
        Assert.Equal(new ulong[] { 3 }, memory.Recall("c")!);
        Assert.Equal(2, memory.Count);
        _time.Advance(RecentMissTokens.Window);
        Assert.Null(memory.Recall("b"));
        memory.Remember("d", [4]);
        Assert.Equal(1, memory.Count);
        Assert.Equal(10_000, RecentMissTokens.DefaultCapacity);
    }

    [Fact]
    public void The_current_tenant_scope_without_an_accessor_fails_at_start_and_at_resolution_with_a_clear_message()
    {
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "app").AsDistributedCache(DistributedCacheScope.CurrentTenant);
        using var provider = services.BuildServiceProvider();

        var atStart = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("DistributedCacheScope.CurrentTenant", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("WithTenantAccessor", atStart.Message, StringComparison.Ordinal);
        var atResolution = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IDistributedCache>());
        Assert.Contains("DistributedCacheScope.CurrentTenant", atResolution.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_application_scope_and_a_tenant_scope_with_an_accessor_start()
    {
        var services = new ServiceCollection();
        services.AddTenantCache(o => o.Application = "app").AsDistributedCache(DistributedCacheScope.CurrentTenant).WithAmbientTenant();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(provider.GetRequiredService<IDistributedCache>());
    }
}
