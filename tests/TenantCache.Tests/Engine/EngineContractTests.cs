using System.Text;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>
/// The engine's behaviour, whatever the store. Every store runs this whole class: the in-process
/// store, one memcached, and a three-node memcached cluster.
/// </summary>
public abstract class EngineContractTests : StoreContract
{
    /// <summary>A fresh application name per use, so tests sharing a server never see each other.</summary>
    /// <summary>The token reuse window this class runs the contract with (null: the store's default).</summary>
    protected virtual TimeSpan? TokenReuseWindow => null;

    protected ApplicationCache NewApp(string? name = null, Action<TenantCacheOptions>? configure = null)
    {
        var options = new TenantCacheOptions { Application = name ?? "app-" + Guid.NewGuid().ToString("N")[..12], TokenReuseWindow = TokenReuseWindow };
        configure?.Invoke(options);
        return new ApplicationCache(Store, options);
    }

    [Fact]
    public async Task Get_of_an_unknown_key_is_a_miss()
    {
        var result = await NewApp().Tenant("t").GetAsync<string>("nothing");
        Assert.False(result.HasValue);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public async Task Set_then_get_returns_the_value_for_every_payload_kind()
    {
        var tenant = NewApp().Tenant("lisboa");
        await tenant.SetAsync("s", "2 days");
        await tenant.SetAsync("b", new byte[] { 1, 2, 3, 0, 255 });
        await tenant.SetAsync("m", new ReadOnlyMemory<byte>([9, 8]));
        await tenant.SetAsync("o", new Forecast("Lisboa", 21, ["sun", "wind"]));
        await tenant.SetAsync("i", 42);

        Assert.Equal("2 days", (await tenant.GetAsync<string>("s")).Value);
        Assert.Equal(new byte[] { 1, 2, 3, 0, 255 }, (await tenant.GetAsync<byte[]>("b")).Value);
        Assert.Equal(new byte[] { 9, 8 }, (await tenant.GetAsync<ReadOnlyMemory<byte>>("m")).Value.ToArray());
        var forecast = (await tenant.GetAsync<Forecast>("o")).Value;
        Assert.Equal("Lisboa", forecast.City);
        Assert.Equal(21, forecast.Celsius);
        Assert.Equal(["sun", "wind"], forecast.Words);
        Assert.Equal(42, (await tenant.GetAsync<int>("i")).Value);
    }

    [Fact]
    public async Task A_stored_null_is_a_hit_not_a_miss()
    {
        var tenant = NewApp().Tenant("t");
        await tenant.SetAsync<string?>("null", null);
        await tenant.SetAsync<Forecast?>("nullobj", null);

        var s = await tenant.GetAsync<string?>("null");
        Assert.True(s.HasValue);
        Assert.Null(s.Value);
        var o = await tenant.GetAsync<Forecast?>("nullobj");
        Assert.True(o.HasValue);
        Assert.Null(o.Value);
        Assert.False((await tenant.GetAsync<int>("null")).HasValue); // a null is no int
    }

    [Fact]
    public async Task Reading_with_another_type_is_a_miss_not_a_wrong_value()
    {
        var tenant = NewApp().Tenant("t");
        await tenant.SetAsync("text", "hello");
        await tenant.SetAsync("bytes", new byte[] { 1 });
        await tenant.SetAsync("json", new Forecast("x", 1, []));

        Assert.False((await tenant.GetAsync<byte[]>("text")).HasValue);
        Assert.False((await tenant.GetAsync<string>("bytes")).HasValue);
        Assert.False((await tenant.GetAsync<string>("json")).HasValue);
        Assert.False((await tenant.GetAsync<int>("json")).HasValue);
        Assert.Equal("hello", (await tenant.GetAsync<string>("text")).Value);
    }

    [Fact]
    public async Task Tenants_are_isolated()
    {
        var app = NewApp();
        await app.Tenant("lisboa").SetAsync("/info", "2 days");
        await app.Tenant("barcelona").SetAsync("/info", "3 days");

        Assert.Equal("2 days", (await app.Tenant("lisboa").GetAsync<string>("/info")).Value);
        Assert.Equal("3 days", (await app.Tenant("barcelona").GetAsync<string>("/info")).Value);
        Assert.False((await app.Tenant("porto").GetAsync<string>("/info")).HasValue);
        Assert.False((await app.GetAsync<string>("/info")).HasValue); // the application scope is not a tenant
    }

    [Fact]
    public async Task Applications_sharing_a_store_are_isolated()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var weather = NewApp("weather-" + suffix);
        var news = NewApp("news-" + suffix);
        await weather.Tenant("t").SetAsync("k", "sunny");
        await news.Tenant("t").SetAsync("k", "breaking");

        Assert.Equal("sunny", (await weather.Tenant("t").GetAsync<string>("k")).Value);
        Assert.Equal("breaking", (await news.Tenant("t").GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task Invalidating_a_tenant_leaves_its_siblings()
    {
        var app = NewApp();
        await app.Tenant("lisboa").SetAsync("/info", "2 days");
        await app.Tenant("barcelona").SetAsync("/info", "3 days");
        await app.Tenant("barcelona").Scope("region").SetAsync("deep", "x");

        await app.Tenant("barcelona").InvalidateAsync();

        Assert.False((await app.Tenant("barcelona").GetAsync<string>("/info")).HasValue);
        Assert.False((await app.Tenant("barcelona").Scope("region").GetAsync<string>("deep")).HasValue);
        Assert.Equal("2 days", (await app.Tenant("lisboa").GetAsync<string>("/info")).Value);

        await app.Tenant("barcelona").SetAsync("/info", "4 days");
        Assert.Equal("4 days", (await app.Tenant("barcelona").GetAsync<string>("/info")).Value);
    }

    [Fact]
    public async Task Invalidating_an_application_clears_all_its_tenants_and_no_other_application()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var weather = NewApp("weather-" + suffix);
        var news = NewApp("news-" + suffix);
        await weather.SetAsync("global", "g");
        await weather.Tenant("a").SetAsync("k", "1");
        await weather.Tenant("b").Scope("s1").Scope("s2").SetAsync("k", "2");
        await news.Tenant("a").SetAsync("k", "n");

        await weather.InvalidateAsync();

        Assert.False((await weather.GetAsync<string>("global")).HasValue);
        Assert.False((await weather.Tenant("a").GetAsync<string>("k")).HasValue);
        Assert.False((await weather.Tenant("b").Scope("s1").Scope("s2").GetAsync<string>("k")).HasValue);
        Assert.Equal("n", (await news.Tenant("a").GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task Invalidating_a_sub_scope_leaves_the_tenant_and_other_sub_scopes()
    {
        var tenant = NewApp().Tenant("t");
        await tenant.SetAsync("top", "1");
        await tenant.Scope("eu").SetAsync("k", "eu");
        await tenant.Scope("us").SetAsync("k", "us");

        await tenant.Scope("eu").InvalidateAsync();

        Assert.False((await tenant.Scope("eu").GetAsync<string>("k")).HasValue);
        Assert.Equal("us", (await tenant.Scope("us").GetAsync<string>("k")).Value);
        Assert.Equal("1", (await tenant.GetAsync<string>("top")).Value);
    }

    [Fact]
    public async Task Invalidating_a_tag_misses_every_entry_carrying_it_in_every_tenant()
    {
        var app = NewApp();
        var tagged = new CacheEntryOptions { Tags = ["product:42"] };
        var other = new CacheEntryOptions { Tags = ["product:7"] };
        await app.Tenant("a").SetAsync("p42", "a42", tagged);
        await app.Tenant("b").Scope("deep").SetAsync("p42", "b42", new CacheEntryOptions { Tags = ["product:42", "product:7"] });
        await app.Tenant("a").SetAsync("p7", "a7", other);
        await app.Tenant("a").SetAsync("plain", "x");

        await app.InvalidateTagAsync("product:42");

        Assert.False((await app.Tenant("a").GetAsync<string>("p42")).HasValue);
        Assert.False((await app.Tenant("b").Scope("deep").GetAsync<string>("p42")).HasValue);
        Assert.Equal("a7", (await app.Tenant("a").GetAsync<string>("p7")).Value);
        Assert.Equal("x", (await app.Tenant("a").GetAsync<string>("plain")).Value);

        await app.Tenant("a").SetAsync("p42", "again", tagged);
        Assert.Equal("again", (await app.Tenant("a").GetAsync<string>("p42")).Value);
    }

    [Fact]
    public async Task Tags_of_one_application_do_not_reach_another()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var one = NewApp("one-" + suffix);
        var two = NewApp("two-" + suffix);
        var tagged = new CacheEntryOptions { Tags = ["shared-tag"] };
        await one.Tenant("t").SetAsync("k", "1", tagged);
        await two.Tenant("t").SetAsync("k", "2", tagged);

        await one.InvalidateTagAsync("shared-tag");

        Assert.False((await one.Tenant("t").GetAsync<string>("k")).HasValue);
        Assert.Equal("2", (await two.Tenant("t").GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task Remove_deletes_one_key_only()
    {
        var tenant = NewApp().Tenant("t");
        await tenant.SetAsync("a", "1");
        await tenant.SetAsync("b", "2");
        await tenant.RemoveAsync("a");
        Assert.False((await tenant.GetAsync<string>("a")).HasValue);
        Assert.Equal("2", (await tenant.GetAsync<string>("b")).Value);
    }

    [Fact]
    public async Task GetOrCreate_computes_on_a_miss_and_serves_from_the_cache_afterwards()
    {
        var tenant = NewApp().Tenant("t");
        var calls = 0;
        var first = await tenant.GetOrCreateAsync("k", _ => { calls++; return ValueTask.FromResult("v" + calls); });
        var second = await tenant.GetOrCreateAsync("k", _ => { calls++; return ValueTask.FromResult("v" + calls); });
        Assert.Equal("v1", first);
        Assert.Equal("v1", second);
        Assert.Equal(1, calls);

        await tenant.InvalidateAsync();
        Assert.Equal("v2", await tenant.GetOrCreateAsync("k", _ => { calls++; return ValueTask.FromResult("v" + calls); }));
    }

    [Fact]
    public async Task GetOrCreate_runs_the_factory_once_for_concurrent_callers()
    {
        var tenant = NewApp().Tenant("t");
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Factory(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return "computed";
        }

        var callers = Enumerable.Range(0, 32).Select(_ => tenant.GetOrCreateAsync("k", Factory).AsTask()).ToArray();
        await WaitUntilAsync(() => Volatile.Read(ref calls) > 0);
        await Task.Delay(300); // give stragglers (slow reads on a loaded 2-core box) the chance to (wrongly) start their own factory
        release.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(results, r => Assert.Equal("computed", r));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreate_factory_failure_reaches_the_caller_and_caches_nothing()
    {
        var tenant = NewApp().Tenant("t");
        await Assert.ThrowsAsync<TimeZoneNotFoundException>(async () =>
            await tenant.GetOrCreateAsync<string>("k", _ => throw new TimeZoneNotFoundException()));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        Assert.Equal("ok", await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("ok")));
    }

    [Fact]
    public async Task I1_a_value_computed_while_the_scope_was_invalidated_is_never_served_afterwards()
    {
        var app = NewApp();
        var tenant = app.Tenant("t");
        var (slow, release) = await StartSlowFactoryAsync(tenant, "k");
        await tenant.InvalidateAsync(); // lands while the factory runs
        release.SetResult();
        Assert.Equal("old", await slow); // its own caller may see it...

        // ...but no read that starts after the invalidation returned may.
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        Assert.Equal("new", await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("new")));
    }

    [Fact]
    public async Task I1_a_caller_arriving_after_an_invalidation_does_not_join_the_older_computation()
    {
        var tenant = NewApp().Tenant("t");
        var (slow, release) = await StartSlowFactoryAsync(tenant, "k");
        await tenant.InvalidateAsync();

        var late = await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"));
        release.SetResult();
        await slow;

        Assert.Equal("fresh", late);
        Assert.Equal("fresh", (await tenant.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task I1_tag_invalidation_during_a_factory_kills_the_entry()
    {
        var app = NewApp();
        var tenant = app.Tenant("t");
        var tagged = new CacheEntryOptions { Tags = ["x"] };
        var (slow, release) = await StartSlowFactoryAsync(tenant, "k", tagged);
        await app.InvalidateTagAsync("x");
        release.SetResult();
        await slow;

        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Ids_and_keys_with_separators_controls_unicode_and_10KB_work_and_stay_isolated()
    {
        var app = NewApp();
        string[] ids =
        [
            "a", "a/b", "a:b", "a%2Fb", "a%3Ab", "a b", "a\tb", "a\0b", "a\nb", "é", "e\u0301", "日本", "🙂",
            "\uD800", "\uDC00", "\uFFFD", "a#b", "a~b", "%", "/", ":", new string('x', 10_000), new string('x', 10_001),
        ];

        foreach (var id in ids)
        {
            await app.Tenant(id).SetAsync(id, "tenant=" + id);
        }

        foreach (var id in ids)
        {
            Assert.Equal("tenant=" + id, (await app.Tenant(id).GetAsync<string>(id)).Value);
            foreach (var other in ids.Where(o => o != id).Take(6))
            {
                var crossed = await app.Tenant(other).GetAsync<string>(id);
                Assert.False(crossed.HasValue && crossed.Value == "tenant=" + id, $"tenant {other} saw {id}'s entry");
            }
        }

        // A deeper path must not collide with a tenant whose id spells the path.
        await app.Tenant("x").Scope("y").SetAsync("k", "deep");
        Assert.False((await app.Tenant("x/y").GetAsync<string>("k")).HasValue);
        Assert.False((await app.Tenant("x%2Fy").GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_ArgumentException_naming_the_parameter()
    {
        var app = NewApp();
        Assert.Equal("tenantId", Assert.Throws<ArgumentNullException>(() => app.Tenant(null!)).ParamName);
        Assert.Equal("tenantId", Assert.Throws<ArgumentException>(() => app.Tenant("")).ParamName);
        Assert.Equal("tenantId", Assert.Throws<ArgumentException>(() => app.Tenant(" \t")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => app.Tenant("t").Scope("")).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(async () => await app.Tenant("t").GetAsync<string>(""))).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await app.Tenant("t").SetAsync(null!, "v"))).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(async () => await app.Tenant("t").RemoveAsync(""))).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(async () => await app.Tenant("t").GetOrCreateAsync("", _ => ValueTask.FromResult(1)))).ParamName);
        Assert.Equal("tag", (await Assert.ThrowsAsync<ArgumentException>(async () => await app.InvalidateTagAsync(" "))).ParamName);
        Assert.Equal("Expiration", Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { Expiration = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("SlidingExpiration", Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { SlidingExpiration = TimeSpan.Zero }).ParamName);
        Assert.Equal("expiration", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await app.Tenant("t").SetAsync("k", "v", TimeSpan.FromSeconds(-5)))).ParamName);
        Assert.Equal("Tags", Assert.Throws<ArgumentException>(() => new CacheEntryOptions { Tags = ["ok", ""] }).ParamName);
        Assert.Equal("options", (await Assert.ThrowsAsync<ArgumentException>(async () =>
            await app.Tenant("t").SetAsync("k", "v", new CacheEntryOptions { Tags = Enumerable.Range(0, 9).Select(i => "t" + i).ToArray() }))).ParamName);

        Assert.Equal("Application", Assert.Throws<ArgumentException>(() => NewApp(" ")).ParamName);
        Assert.Equal("Application", Assert.Throws<ArgumentException>(() => NewApp("")).ParamName);
    }

    [Fact]
    public async Task Scopes_deeper_than_the_limit_are_rejected()
    {
        var app = NewApp(configure: o => o.MaxScopeDepth = 3);
        var deepest = app.Tenant("t").Scope("a").Scope("b");
        await deepest.SetAsync("k", "v");
        Assert.Equal("v", (await deepest.GetAsync<string>("k")).Value);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => deepest.Scope("c")).ParamName);
    }

    [Fact]
    public async Task A_value_over_the_limit_throws_before_the_store_is_touched()
    {
        var app = NewApp(configure: o => o.MaxValueBytes = 1000);
        var tenant = app.Tenant("t");
        var error = await Assert.ThrowsAsync<CacheValueTooLargeException>(async () => await tenant.SetAsync("big", new byte[2000]));
        Assert.Equal("value", error.ParamName);
        Assert.Equal(1000, error.MaxBytes);

        // Nothing was written: not even the version tokens.
        var items = new StoreItem[2];
        await Store.GetManyAsync(ScopePath.ForApplication(app.Application).Child("t").VersionKeys, items);
        Assert.All(items, i => Assert.False(i.Found));

        // GetOrCreate returns the value to its caller but does not cache it.
        var value = await tenant.GetOrCreateAsync("big", _ => ValueTask.FromResult(new byte[2000]));
        Assert.Equal(2000, value.Length);
        Assert.False((await tenant.GetAsync<byte[]>("big")).HasValue);
    }

    [Fact]
    public async Task Values_written_by_someone_else_under_our_keys_are_misses_never_exceptions()
    {
        var app = NewApp();
        var tenant = app.Tenant("t");
        await tenant.SetAsync("k", "genuine");
        var path = ScopePath.ForApplication(app.Application).Child("t");
        var storeKey = KeyEncoder.Bound(path.CanonicalDataKey("k"));
        var genuine = await ReadRawAsync(storeKey);

        byte[][] hostile =
        [
            [],
            Encoding.ASCII.GetBytes("not an envelope"),
            genuine[..^1],                                   // truncated
            [.. genuine, 0],                                 // trailing byte
            [(byte)'T', (byte)'C', 99, .. genuine[3..]],      // another format version
            genuine[..10],
            [.. genuine.Take(4), 200, .. genuine.Skip(5)],   // absurd level count
            new byte[100_000],
        ];

        foreach (var bytes in hostile)
        {
            await Store.SetAsync(storeKey, bytes, StoreSetMode.Set, TimeSpan.FromMinutes(1));
            Assert.False((await tenant.GetAsync<string>("k")).HasValue);
            Assert.Equal("rebuilt", await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("rebuilt")));
            Assert.Equal("rebuilt", (await tenant.GetAsync<string>("k")).Value);
        }

        // A genuine envelope copied under another identity's key is refused by the identity check.
        var otherKey = KeyEncoder.Bound(path.CanonicalDataKey("other"));
        await Store.SetAsync(otherKey, await ReadRawAsync(storeKey), StoreSetMode.Set, TimeSpan.FromMinutes(1));
        Assert.False((await tenant.GetAsync<string>("other")).HasValue);
    }

    [Fact]
    public async Task I4_a_missing_version_token_makes_entries_misses()
    {
        var app = NewApp();
        var tenant = app.Tenant("t");
        await tenant.SetAsync("k", "v");
        var path = ScopePath.ForApplication(app.Application).Child("t");

        Assert.True(await Store.DeleteAsync(path.VersionKeys[1])); // as if evicted
        await WaitOutTokenWindowAsync(app); // a token read less than the window ago may still serve (docs/guarantees.md, I4)
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);

        await Store.SetAsync(path.VersionKeys[1], new byte[] { 1, 2, 3 }, StoreSetMode.Set, null); // unreadable token
        await WaitOutTokenWindowAsync(app);
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        await tenant.SetAsync("k", "v2"); // cannot get a token: the write is skipped, not an error
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);

        await tenant.InvalidateAsync(); // writes a proper token again
        await tenant.SetAsync("k", "v3");
        Assert.Equal("v3", (await tenant.GetAsync<string>("k")).Value);
    }

    /// <summary>Waits until no token this process read before the call may be reused (real time: these stores run on the system clock).</summary>
    protected static Task WaitOutTokenWindowAsync(ApplicationCache app)
    {
        var window = ((IEngineScope)app).Engine.TokenReuseWindow;
        return window > TimeSpan.Zero ? Task.Delay(window + TimeSpan.FromMilliseconds(20)) : Task.CompletedTask;
    }

    /// <summary>
    /// Starts a get-or-create whose factory returns "old" once released; returns when the factory is
    /// running, with the call's task and the release switch.
    /// </summary>
    protected static async Task<(Task<string> Call, TaskCompletionSource Release)> StartSlowFactoryAsync(ICacheScope scope, string key, CacheEntryOptions? options = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = scope.GetOrCreateAsync(key, async ct =>
        {
            started.SetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return "old";
        }, options).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (call, release);
    }

    protected async Task<byte[]> ReadRawAsync(string storeKey)
    {
        var items = new StoreItem[1];
        await Store.GetManyAsync(new[] { storeKey }, items);
        Assert.True(items[0].Found);
        return items[0].Value.ToArray();
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(5);
        }
    }

    public sealed record Forecast(string City, int Celsius, string[] Words);
}
