using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>TenantCacheOptions.OperationTimeout: one deadline for all the store steps of a public call, on a fake clock.</summary>
public sealed class OperationTimeoutTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Advances the fake clock in small steps until <paramref name="task"/> completes (outcomes are asserted, never durations).</summary>
    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        for (var i = 0; i < 5000 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }

        Assert.True(task.IsCompleted, "the call never completed");
        return await task;
    }

    private (ApplicationCache App, StallingStore Store, MemoryCacheStore Inner, ListLogger<ApplicationCache> Log) Build(string application, Action<TenantCacheOptions>? configure = null)
    {
        var inner = new MemoryCacheStore(new MemoryCacheStoreOptions(), _time);
        var store = new StallingStore(inner, _time);
        var options = new TenantCacheOptions { Application = application };
        configure?.Invoke(options);
        var log = new ListLogger<ApplicationCache>();
        return (new ApplicationCache(store, options, log, _time), store, inner, log);
    }

    [Fact]
    public void The_default_is_one_second_and_invalid_values_name_the_option()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new TenantCacheOptions().OperationTimeout);
        new TenantCacheOptions { Application = "a", OperationTimeout = Timeout.InfiniteTimeSpan }.Validate();
        foreach (var bad in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(-2), TimeSpan.FromDays(50) })
        {
            var error = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new TenantCacheOptions { Application = "a", OperationTimeout = bad }.Validate());
            Assert.Equal(nameof(TenantCacheOptions.OperationTimeout), error.ParamName);
        }
    }

    [Fact]
    public async Task It_binds_from_configuration_and_a_bad_value_names_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TenantCache:Application"] = "bound",
            ["TenantCache:OperationTimeout"] = "00:00:00.250",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName));
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Equal(TimeSpan.FromMilliseconds(250), provider.GetRequiredService<IOptions<TenantCacheOptions>>().Value.OperationTimeout);
        }

        configuration["TenantCache:OperationTimeout"] = "00:00:00";
        services = new ServiceCollection().AddLogging();
        services.AddTenantCache(configuration.GetSection(TenantCacheOptions.SectionName));
        await using var bad = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<TenantCacheOptions>>().Value);
        Assert.Contains("TenantCache:OperationTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_never_answers_is_a_logged_and_counted_miss_when_the_deadline_passes()
    {
        var (app, store, _, log) = Build("stalled-read");
        using var counters = new CacheCounters("stalled-read");

        var read = await DriveAsync(app.Tenant("t").GetAsync<string>("k").AsTask());

        Assert.False(read.HasValue);
        Assert.Equal(1, store.Cancelled);
        Assert.Equal(1, counters["tenantcache.store.errors"]);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(1001, warning.Id.Id);
    }

    [Fact]
    public async Task With_ThrowOnStoreErrors_a_timeout_is_a_typed_store_exception_and_the_callers_cancellation_is_not()
    {
        var (app, _, _, _) = Build("stalled-throw", o => o.ThrowOnStoreErrors = true);
        var tenant = app.Tenant("t");

        var timeout = await Assert.ThrowsAsync<CacheOperationTimeoutException>(() => DriveAsync(tenant.GetAsync<string>("k").AsTask()));
        Assert.Equal(TimeSpan.FromSeconds(1), timeout.Timeout);
        var invalidation = await Assert.ThrowsAsync<CacheInvalidationException>(() => DriveAsync(Invalidate(tenant)));
        Assert.IsType<CacheOperationTimeoutException>(invalidation.InnerException);

        using var cts = new CancellationTokenSource();
        var call = tenant.GetAsync<string>("k", cts.Token).AsTask();
        cts.Cancel();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotAssignableFrom<CacheStoreException>(cancelled);
    }

    private static async Task<bool> Invalidate(ICacheScope scope)
    {
        await scope.InvalidateAsync();
        return true;
    }

    [Fact]
    public async Task The_deadline_bounds_the_whole_call_not_each_store_step()
    {
        // Each step takes 0.6 s: every one is within the timeout, but a cold get-or-create takes three
        // (the read, the creation of the missing tokens, the write), so its write must be skipped.
        var (app, store, _, _) = Build("whole-call");
        store.Delay = TimeSpan.FromMilliseconds(600);
        using var counters = new CacheCounters("whole-call");

        var value = await DriveAsync(app.Tenant("t").GetOrCreateAsync("k", _ => ValueTask.FromResult("v")).AsTask());

        Assert.Equal("v", value);
        Assert.Equal(0, counters["tenantcache.writes"]);
        Assert.Equal(1, counters["tenantcache.writes.skipped"]);
        Assert.True(store.Cancelled >= 1);
        store.Stalls = _ => false;
        Assert.False((await app.Tenant("t").GetAsync<string>("k")).HasValue); // the tokens may exist; the entry does not
    }

    [Fact]
    public async Task The_factory_is_not_counted_against_the_deadline()
    {
        var (app, store, _, _) = Build("slow-factory");
        store.Delay = TimeSpan.FromMilliseconds(100); // every step waits, so the deadline is armed
        var tenant = app.Tenant("t");

        var value = await DriveAsync(tenant.GetOrCreateAsync("k", _ =>
        {
            _time.Advance(TimeSpan.FromSeconds(5)); // a factory far slower than the timeout
            return ValueTask.FromResult("v");
        }).AsTask());

        Assert.Equal("v", value);
        store.Stalls = _ => false;
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task An_infinite_timeout_waits_for_the_store()
    {
        var (app, store, _, _) = Build("no-limit", o => o.OperationTimeout = Timeout.InfiniteTimeSpan);
        store.Delay = TimeSpan.FromSeconds(30);
        var tenant = app.Tenant("t");

        await DriveAsync(Set(tenant));

        store.Stalls = _ => false;
        Assert.Equal("v", (await tenant.GetAsync<string>("k")).Value);
        Assert.Equal(0, store.Cancelled);
    }

    private static async Task<bool> Set(ICacheScope scope)
    {
        await scope.SetAsync("k", "v");
        return true;
    }
}
