using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using TenantCache.Hybrid;
using TenantCache.Stores;
using TenantCache.Tenancy;

namespace TenantCache.Tests.Hybrid;

/// <summary>
/// The HybridCache contract over TenantCache, whatever the store: every store runs this whole class
/// (the in-process store and a real memcached). Partial by concern: basics here, then tags, flags
/// and tenants.
/// </summary>
public abstract partial class HybridContractTests : IAsyncLifetime
{
    private ICacheStore? _store;
    private ServiceProvider? _provider;

    /// <summary>The application-scoped HybridCache.</summary>
    protected HybridCache App { get; private set; } = null!;

    /// <summary>The HybridCache of the ambient tenant (<see cref="AmbientTenant.Use"/>).</summary>
    protected HybridCache Tenant { get; private set; } = null!;

    /// <summary>The same application's TenantCache, to look behind the adapter.</summary>
    protected ITenantCache Cache { get; private set; } = null!;

    protected ICacheStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        _provider = BuildProvider("hy-" + Guid.NewGuid().ToString("N")[..12]);
        App = _provider.GetRequiredKeyedService<HybridCache>("app");
        Tenant = _provider.GetRequiredKeyedService<HybridCache>("tenant");
        Cache = _provider.GetRequiredService<ITenantCache>();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected abstract Task<ICacheStore> CreateStoreAsync();

    /// <summary>A container with both HybridCaches of <paramref name="application"/> over the shared store.</summary>
    protected ServiceProvider BuildProvider(string application)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Store);
        services.AddTenantCache(o => o.Application = application)
            .WithAmbientTenant()
            .AsKeyedHybridCache("app", HybridCacheScope.Application)
            .AsKeyedHybridCache("tenant", HybridCacheScope.CurrentTenant);
        return services.BuildServiceProvider(validateScopes: true);
    }

    protected static IDisposable As(string tenant) => AmbientTenant.Use(tenant);

    /// <summary>A factory that counts its calls and returns <paramref name="value"/>.</summary>
    protected static Func<CancellationToken, ValueTask<string>> Counting(StrongBox<int> calls, string value) => _ =>
    {
        Interlocked.Increment(ref calls.Value);
        return ValueTask.FromResult(value);
    };

    /// <summary>What a read through the cache gives now: the stored value, or "miss" when the factory had to run.</summary>
    protected static async Task<string> PeekAsync(HybridCache cache, string key, IEnumerable<string>? tags = null) =>
        await cache.GetOrCreateAsync(key, _ => ValueTask.FromResult("miss"), tags: tags);

    [Fact]
    public async Task GetOrCreate_with_state_passes_the_state_computes_once_and_then_hits()
    {
        var calls = 0;
        var first = await App.GetOrCreateAsync("k", (Prefix: "v", N: 7), (s, _) =>
        {
            calls++;
            return ValueTask.FromResult(s.Prefix + s.N);
        });
        var second = await App.GetOrCreateAsync("k", (Prefix: "other", N: 0), (s, _) =>
        {
            calls++;
            return ValueTask.FromResult(s.Prefix + s.N);
        });

        Assert.Equal("v7", first);
        Assert.Equal("v7", second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task String_span_and_interpolated_keys_address_the_same_entry()
    {
        var id = 42;
        await App.SetAsync("order-42", "stored");
        Assert.Equal("stored", await App.GetOrCreateAsync($"order-{id}", _ => ValueTask.FromResult("miss")));
        Assert.Equal("stored", await App.GetOrCreateAsync("order-42".AsSpan(), 0, (_, _) => ValueTask.FromResult("miss")));
        Assert.Equal("stored", await App.GetOrCreateAsync("order-42".AsSpan(), _ => ValueTask.FromResult("miss")));
    }

    [Fact]
    public async Task SetAsync_writes_and_overwrites_and_objects_round_trip()
    {
        await App.SetAsync("k", "one");
        await App.SetAsync("k", "two");
        Assert.Equal("two", await PeekAsync(App, "k"));

        await App.SetAsync("o", new Order(7, "seven", [1, 2]));
        var order = await App.GetOrCreateAsync("o", _ => ValueTask.FromResult(new Order(0, "miss", [])));
        Assert.Equal(7, order.Id);
        Assert.Equal("seven", order.Name);
        Assert.Equal([1, 2], order.Lines);
    }

    [Fact]
    public async Task A_null_from_the_factory_is_cached_as_a_null()
    {
        var calls = new StrongBox<int>();
        Assert.Null(await App.GetOrCreateAsync<string?>("k", _ => { calls.Value++; return ValueTask.FromResult<string?>(null); }));
        Assert.Null(await App.GetOrCreateAsync<string?>("k", _ => { calls.Value++; return ValueTask.FromResult<string?>("x"); }));
        Assert.Equal(1, calls.Value);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_factory_call_and_a_later_round_computes_afresh()
    {
        for (var round = 0; round < 2; round++)
        {
            var calls = 0;
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async ValueTask<Guid> Factory(CancellationToken ct)
            {
                Interlocked.Increment(ref calls);
                await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                return Guid.NewGuid();
            }

            var callers = Enumerable.Range(0, 24).Select(_ => App.GetOrCreateAsync("stampede", Factory).AsTask()).ToArray();
            await Eventually(() => Volatile.Read(ref calls) > 0);
            await Task.Delay(100); // stragglers would (wrongly) start their own factory now
            release.SetResult();
            var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(1, calls);
            Assert.Single(results.Distinct());
            await App.RemoveAsync("stampede");
        }
    }

    [Fact]
    public async Task A_factory_failure_reaches_every_caller_and_caches_nothing()
    {
        await Assert.ThrowsAsync<TimeZoneNotFoundException>(async () =>
            await App.GetOrCreateAsync<string>("k", _ => throw new TimeZoneNotFoundException()));
        Assert.Equal("miss", await PeekAsync(App, "k"));
    }

    [Fact]
    public async Task Bad_input_is_rejected_as_HybridCache_and_TenantCache_document()
    {
        Func<CancellationToken, ValueTask<string>> factory = _ => ValueTask.FromResult("v");
        await Assert.ThrowsAsync<ArgumentNullException>("key", async () => await App.GetOrCreateAsync(null!, factory));
        await Assert.ThrowsAsync<ArgumentNullException>("key", async () => await App.SetAsync(null!, "v"));
        await Assert.ThrowsAsync<ArgumentNullException>("key", async () => await App.RemoveAsync((string)null!));
        await Assert.ThrowsAsync<ArgumentException>("key", async () => await App.GetOrCreateAsync("", factory));
        await Assert.ThrowsAsync<ArgumentException>("key", async () => await App.SetAsync("", "v"));
        await Assert.ThrowsAsync<ArgumentNullException>("factory", async () => await App.GetOrCreateAsync<int, string>("k", 0, null!));
        await Assert.ThrowsAsync<ArgumentNullException>("keys", async () => await App.RemoveAsync(["ok", null!]));
        await Assert.ThrowsAsync<ArgumentException>("keys", async () => await App.RemoveAsync(["ok", ""]));
    }

    [Fact]
    public async Task Reads_and_writes_go_to_the_scope_the_cache_is_for()
    {
        await App.SetAsync("k", "app");
        using (As("acme"))
        {
            await Tenant.SetAsync("k", "acme");
        }

        Assert.Equal("app", (await Cache.GetAsync<string>("k")).Value);
        Assert.Equal("acme", (await Cache.Tenant("acme").GetAsync<string>("k")).Value);
    }

    protected static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(5);
        }
    }

    public sealed record Order(int Id, string Name, int[] Lines);
}
