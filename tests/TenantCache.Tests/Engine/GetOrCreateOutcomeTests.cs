using TenantCache.Stores;
using TenantCache.Tenancy;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary><see cref="CacheScopeExtensions.GetOrCreateWithOutcomeAsync{T}"/>: exact, from the engine's path.</summary>
public sealed class GetOrCreateOutcomeTests
{
    private readonly SwitchableStore _store = new(new MemoryCacheStore());

    private ApplicationCache App() => new(_store, new TenantCacheOptions { Application = "outcome" });

    [Fact]
    public async Task A_miss_is_computed_then_the_next_call_is_a_hit_without_running_the_factory()
    {
        var tenant = App().Tenant("t");
        var calls = 0;
        ValueTask<string> Factory(CancellationToken _) => ValueTask.FromResult($"v{++calls}");

        var first = await tenant.GetOrCreateWithOutcomeAsync("k", Factory);
        Assert.Equal(GetOrCreateOutcome.Computed, first.Outcome);
        Assert.False(first.IsHit);
        Assert.Equal("v1", first.Value);

        var (value, outcome) = await tenant.GetOrCreateWithOutcomeAsync("k", Factory);
        Assert.Equal(GetOrCreateOutcome.Hit, outcome);
        Assert.Equal("v1", value);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task An_entry_written_by_SetAsync_is_a_hit_and_an_invalidated_one_is_computed_again()
    {
        var app = App();
        await app.Tenant("t").SetAsync("k", 41);
        Assert.Equal(new GetOrCreateResult<int>(41, GetOrCreateOutcome.Hit).ToString(), (await app.Tenant("t").GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(0))).ToString());

        await app.Tenant("t").InvalidateAsync();
        var again = await app.Tenant("t").GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(42));
        Assert.Equal((42, GetOrCreateOutcome.Computed), (again.Value, again.Outcome));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_concurrent_caller_joins_the_running_factory()
    {
        var tenant = App().Tenant("t");
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<string> Slow(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            started.TrySetResult();
            return await release.Task;
        }

        var leader = tenant.GetOrCreateWithOutcomeAsync("k", Slow).AsTask();
        await started.Task;
        var follower = tenant.GetOrCreateWithOutcomeAsync("k", Slow).AsTask();
        await Task.Delay(50);
        Assert.False(follower.IsCompleted);
        release.SetResult("shared");

        Assert.Equal(GetOrCreateOutcome.Computed, (await leader).Outcome);
        var joined = await follower;
        Assert.Equal(GetOrCreateOutcome.Joined, joined.Outcome);
        Assert.Equal("shared", joined.Value);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task With_the_store_down_the_value_is_computed_by_every_call()
    {
        var tenant = App().Tenant("t");
        await tenant.SetAsync("k", "cached");
        _store.Down = true;

        for (var i = 0; i < 2; i++)
        {
            var result = await tenant.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult("fresh"));
            Assert.Equal((GetOrCreateOutcome.Computed, "fresh"), (result.Outcome, result.Value));
        }
    }

    [Fact]
    public async Task The_application_scope_and_the_current_tenant_report_exactly_too()
    {
        var app = App();
        Assert.Equal(GetOrCreateOutcome.Computed, (await app.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(1))).Outcome);
        Assert.Equal(GetOrCreateOutcome.Hit, (await app.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(2))).Outcome);

        var current = new CurrentTenantCache(app, new DelegateTenantContextAccessor(() => "acme"));
        Assert.Equal(GetOrCreateOutcome.Computed, (await current.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(3))).Outcome);
        Assert.Equal(3, (await app.Tenant("acme").GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(4))).Value);
    }

    [Fact]
    public async Task A_scope_implemented_elsewhere_reports_whether_the_factory_ran()
    {
        var foreign = new ForeignScope(App().Tenant("t"));
        Assert.Equal(GetOrCreateOutcome.Computed, (await foreign.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(1))).Outcome);
        Assert.Equal(GetOrCreateOutcome.Hit, (await foreign.GetOrCreateWithOutcomeAsync("k", _ => ValueTask.FromResult(2))).Outcome);
    }

    [Fact]
    public async Task Arguments_are_checked_and_factory_failures_propagate()
    {
        var tenant = App().Tenant("t");
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await tenant.GetOrCreateWithOutcomeAsync<int>("k", null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await tenant.GetOrCreateWithOutcomeAsync("", _ => ValueTask.FromResult(1)));
        await Assert.ThrowsAsync<InvalidTimeZoneException>(async () =>
            await tenant.GetOrCreateWithOutcomeAsync<int>("k", _ => throw new InvalidTimeZoneException()));
    }

    private sealed class SwitchableStore(ICacheStore inner) : DelegatingStore(inner)
    {
        public volatile bool Down;

        public override ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
            Down ? ValueTask.FromException(new CacheStoreException("down")) : base.GetManyAsync(keys, results, cancellationToken);

        public override ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
            Down ? ValueTask.FromException<StoreSetResult>(new CacheStoreException("down")) : base.SetAsync(key, value, mode, expiry, cancellationToken);
    }

    /// <summary>An <see cref="ICacheScope"/> that is not the library's (as a user's test double would be).</summary>
    private sealed class ForeignScope(ICacheScope inner) : ICacheScope
    {
        public string Application => inner.Application;

        public IReadOnlyList<string> Path => inner.Path;

        public ICacheScope Scope(string name) => inner.Scope(name);

        public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) => inner.GetAsync<T>(key, cancellationToken);

        public ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.SetAsync(key, value, options, cancellationToken);

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GetOrCreateAsync(key, factory, options, cancellationToken);

        public ValueTask InvalidateAsync(CancellationToken cancellationToken = default) => inner.InvalidateAsync(cancellationToken);
    }
}
