using System.Diagnostics;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;

namespace TenantCache.Tests.Leases;

/// <summary>
/// Fleet-wide single flight, stale-while-revalidate, fail-safe, factory timeouts and early refresh, on a
/// store with recompute leases. Several <see cref="ApplicationCache"/> instances over one store are several
/// processes: they share nothing but the store.
/// </summary>
public abstract partial class LeaseEngineContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    /// <summary>How coarse the store's clock is: memcached counts times to live in whole seconds.</summary>
    protected virtual TimeSpan ClockGranularity => TimeSpan.Zero;

    /// <summary>One store all "processes" of a test share.</summary>
    protected abstract ICacheStore NewStore();

    protected static string NewApplication() => "lease-" + Guid.NewGuid().ToString("N")[..10];

    protected static ApplicationCache Process(ICacheStore store, string application, TimeSpan? lease = null) =>
        new(store, new TenantCacheOptions
        {
            Application = application,
            Leases = new LeaseOptions { Enabled = true, Duration = lease ?? Lease },
        });

    [Fact(Timeout = 60_000)]
    public async Task A_cold_key_is_computed_once_across_processes()
    {
        var store = NewStore();
        var app = NewApplication();
        var runs = 0;
        var processes = Enumerable.Range(0, 4).Select(_ => Process(store, app).Tenant("t")).ToArray();
        var calls = processes.SelectMany(p => Enumerable.Range(0, 16).Select(_ => p.GetOrCreateAsync("hot", async _ =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(100, CancellationToken.None);
            return "v1";
        }).AsTask())).ToArray();

        var values = await Task.WhenAll(calls);
        Assert.All(values, v => Assert.Equal("v1", v));
        Assert.Equal(1, runs);
    }

    [Fact(Timeout = 60_000)]
    public async Task After_a_tenant_invalidation_one_process_recomputes_and_the_others_wait_for_its_value()
    {
        var store = NewStore();
        var app = NewApplication();
        var processes = Enumerable.Range(0, 4).Select(_ => Process(store, app).Tenant("t")).ToArray();
        await processes[0].SetAsync("hot", "old");
        Assert.Equal("old", (await processes[1].GetAsync<string>("hot")).Value);
        await processes[2].InvalidateAsync();

        var runs = 0;
        var results = await Task.WhenAll(processes.SelectMany(p => Enumerable.Range(0, 16).Select(_ => p.GetOrCreateWithOutcomeAsync("hot", async _ =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(100, CancellationToken.None);
            return "new";
        }).AsTask())));

        Assert.All(results, r => Assert.Equal("new", r.Value)); // strict calls never see the invalidated value
        Assert.Equal(1, runs);
        Assert.Equal(1, results.Count(r => r.Outcome == GetOrCreateOutcome.Computed));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_holder_that_never_writes_back_delays_the_others_by_at_most_the_lease()
    {
        var store = NewStore();
        var app = NewApplication();
        var crashed = Process(store, app).Tenant("t");
        var survivor = Process(store, app).Tenant("t");
        var holding = new TaskCompletionSource();
        var crashedCall = crashed.GetOrCreateAsync("k", async ct =>
        {
            holding.SetResult();
            await Task.Delay(Timeout.Infinite, ct); // a holder that hangs: it never writes back
            return "never";
        }, cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token).AsTask();
        await holding.Task;

        var watch = Stopwatch.StartNew();
        var value = await survivor.GetOrCreateAsync("k", _ => ValueTask.FromResult("taken over"));
        watch.Stop();

        Assert.Equal("taken over", value);
        Assert.True(watch.Elapsed >= Lease - ClockGranularity - TimeSpan.FromMilliseconds(300), $"took over after {watch.Elapsed}: before the lease ended");
        Assert.True(watch.Elapsed < Lease * 3, $"waited {watch.Elapsed} for a lease of {Lease}");
        Assert.Equal("taken over", (await survivor.GetAsync<string>("k")).Value);
        Assert.False(crashedCall.IsCompleted);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_slow_holders_late_write_back_does_not_replace_a_newer_entry()
    {
        var store = NewStore();
        var app = NewApplication();
        var slow = Process(store, app).Tenant("t");
        var other = Process(store, app).Tenant("t");
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var slowCall = slow.GetOrCreateAsync("k", async _ =>
        {
            started.SetResult();
            await release.Task;
            return "late";
        }).AsTask();
        await started.Task;

        await other.SetAsync("k", "newer"); // written while the lease is out
        release.SetResult();
        Assert.Equal("late", await slowCall); // the caller gets its value; the store keeps the newer one
        Assert.Equal("newer", (await other.GetAsync<string>("k")).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task With_stale_allowed_readers_get_the_previous_value_at_once_while_one_recomputes()
    {
        var store = NewStore();
        var app = NewApplication();
        var a = Process(store, app).Tenant("t");
        var b = Process(store, app).Tenant("t");
        var stale = new CacheEntryOptions { StaleFor = TimeSpan.FromSeconds(30) };
        await a.GetOrCreateAsync("k", _ => ValueTask.FromResult("old"), stale);
        await a.InvalidateAsync();

        var release = new TaskCompletionSource();
        var runs = 0;
        async ValueTask<string> Slow(CancellationToken _)
        {
            Interlocked.Increment(ref runs);
            await release.Task;
            return "new";
        }

        var first = await a.GetOrCreateWithOutcomeAsync("k", Slow, stale); // wins the lease, recomputes in the background
        var second = await b.GetOrCreateWithOutcomeAsync("k", Slow, stale); // someone holds it: stale at once
        Assert.Equal(("old", GetOrCreateOutcome.Stale), (first.Value, first.Outcome));
        Assert.Equal(("old", GetOrCreateOutcome.Stale), (second.Value, second.Outcome));

        var strict = b.GetOrCreateAsync("k", Slow).AsTask(); // no StaleFor: waits for the new value
        await Task.Delay(200);
        Assert.False(strict.IsCompleted);
        release.SetResult();
        Assert.Equal("new", await strict.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, runs);
        Assert.Equal("new", (await b.GetAsync<string>("k")).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task Fail_safe_returns_the_last_good_value_when_the_factory_fails_after_expiry()
    {
        var store = NewStore();
        var app = NewApplication();
        var tenant = Process(store, app).Tenant("t");
        var options = new CacheEntryOptions { Expiration = TimeSpan.FromMilliseconds(300), FailSafeFor = TimeSpan.FromSeconds(30) };
        await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("good"), options);
        await Task.Delay(1_200); // logically expired (memcached counts whole seconds: kept physically)

        var result = await tenant.GetOrCreateWithOutcomeAsync<string>("k", _ => throw new InvalidOperationException("database down"), options);
        Assert.Equal(("good", GetOrCreateOutcome.FailSafe), (result.Value, result.Outcome));

        // Without fail-safe the failure is the caller's; and an invalidated value is never a fail-safe value.
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await tenant.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("down"), new CacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) }));
        await tenant.InvalidateAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await tenant.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("down"), options));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hard_timeout_cancels_the_factory_and_throws_a_typed_error()
    {
        var tenant = Process(NewStore(), NewApplication()).Tenant("t");
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CacheFactoryTimeoutException>(async () => await tenant.GetOrCreateAsync("k", async ct =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }

            return "late";
        }, new CacheEntryOptions { FactoryHardTimeout = TimeSpan.FromMilliseconds(200) }));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the factory's token was cancelled (the call does not wait for the factory to notice)
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_soft_timeout_returns_the_fail_safe_value_and_stores_the_late_one()
    {
        var tenant = Process(NewStore(), NewApplication()).Tenant("t");
        var options = new CacheEntryOptions { Expiration = TimeSpan.FromMilliseconds(300), FailSafeFor = TimeSpan.FromSeconds(30), FactorySoftTimeout = TimeSpan.FromMilliseconds(100) };
        await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("good"), options);
        await Task.Delay(1_200);

        var release = new TaskCompletionSource();
        var result = await tenant.GetOrCreateWithOutcomeAsync("k", async _ =>
        {
            await release.Task;
            return "late";
        }, options).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("good", GetOrCreateOutcome.FailSafe), (result.Value, result.Outcome));

        release.SetResult();
        await Eventually.TrueAsync(async () => (await tenant.GetAsync<string>("k")).Value == "late", TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_entry_near_its_end_is_refreshed_in_the_background_by_one_caller()
    {
        var store = NewStore();
        var app = NewApplication();
        var processes = Enumerable.Range(0, 3).Select(_ => Process(store, app).Tenant("t")).ToArray();
        var options = new CacheEntryOptions { Expiration = TimeSpan.FromSeconds(3), EarlyRefresh = TimeSpan.FromSeconds(2.5) };
        var runs = 0;
        var generation = 0;
        async ValueTask<string> Factory(CancellationToken _)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(50, CancellationToken.None);
            return "v" + Interlocked.Increment(ref generation);
        }

        Assert.Equal("v1", await processes[0].GetOrCreateAsync("k", Factory, options));
        await Task.Delay(2_000); // about 1 s left: less than 2.5 s, even on memcached's whole-second clock

        var values = await Task.WhenAll(processes.SelectMany(p => Enumerable.Range(0, 8).Select(_ => p.GetOrCreateAsync("k", Factory, options).AsTask())));
        Assert.All(values, v => Assert.Equal("v1", v)); // every caller got the current value at once
        await Eventually.TrueAsync(async () => (await processes[1].GetAsync<string>("k")).Value == "v2", TimeSpan.FromSeconds(10));
        Assert.Equal(2, runs);
    }
}

/// <summary>On the in-process store: "processes" are engines over one <see cref="MemoryCacheStore"/>.</summary>
public sealed class MemoryLeaseEngineTests : LeaseEngineContract
{
    protected override ICacheStore NewStore() => new MemoryCacheStore();
}

/// <summary>On a real memcached 1.6.18: its own leases, whole-second clock.</summary>
public sealed class MemcachedLeaseEngineTests(TenantCache.Tests.Memcached.Infrastructure.MemcachedServerFixture fixture)
    : LeaseEngineContract, IClassFixture<TenantCache.Tests.Memcached.Infrastructure.MemcachedServerFixture>
{
    protected override TimeSpan ClockGranularity => TimeSpan.FromSeconds(1);

    protected override ICacheStore NewStore() => new TenantCache.Memcached.MemcachedCacheStore(new TenantCache.Memcached.MemcachedOptions { Servers = fixture.Server.Endpoint });
}

/// <summary>On a real Redis 7.0: memcached's lease rules as one-key scripts, millisecond clock.</summary>
public sealed class RedisLeaseEngineTests(TenantCache.Tests.Redis.Infrastructure.RedisServerFixture fixture)
    : LeaseEngineContract, IClassFixture<TenantCache.Tests.Redis.Infrastructure.RedisServerFixture>
{
    protected override ICacheStore NewStore() => fixture.NewStore();
}

/// <summary>On a 3-primary Redis Cluster: each lease script is routed by its one key.</summary>
[Collection(nameof(TenantCache.Tests.Redis.Infrastructure.RedisClusterCollection))]
public sealed class RedisClusterLeaseEngineTests(TenantCache.Tests.Redis.Infrastructure.RedisClusterFixture fixture)
    : LeaseEngineContract, IClassFixture<TenantCache.Tests.Redis.Infrastructure.RedisClusterFixture>
{
    protected override ICacheStore NewStore() => fixture.NewStore();
}
