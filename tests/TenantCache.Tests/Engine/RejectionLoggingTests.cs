using Microsoft.Extensions.Logging;
using TenantCache.Internal;
using TenantCache.Stores;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

public sealed class RejectionLoggingTests
{
    [Fact]
    public async Task Unparseable_entries_are_logged_at_warning_once_per_cause_and_never_with_the_key()
    {
        var store = new MemoryCacheStore();
        var logger = new ListLogger<ApplicationCache>();
        var app = new ApplicationCache(store, new TenantCacheOptions { Application = "logs" }, logger);
        var tenant = app.Tenant("secret-tenant");
        await tenant.SetAsync("k", "v");
        var key = KeyEncoder.Bound(ScopePath.ForApplication("logs").Child("secret-tenant").CanonicalDataKey("k"));

        for (var i = 0; i < 3; i++)
        {
            await store.SetAsync(key, "garbage"u8.ToArray(), StoreSetMode.Set, null);
            Assert.False((await tenant.GetAsync<string>("k")).HasValue);
            await store.SetAsync(key, "TC\u0009rest"u8.ToArray(), StoreSetMode.Set, null);
            Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        }

        var warnings = logger.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count); // NotAnEnvelope and UnknownFormatVersion, once each
        Assert.All(warnings, w => Assert.Equal(1003, w.Id.Id));
        Assert.Contains(warnings, w => w.Message.Contains(nameof(RejectCause.NotAnEnvelope)));
        Assert.Contains(warnings, w => w.Message.Contains(nameof(RejectCause.UnknownFormatVersion)));
        Assert.DoesNotContain(warnings, w => w.Message.Contains("secret-tenant"));
        Assert.Equal(4, logger.Entries.Count(e => e.Level == LogLevel.Debug && e.Id.Id == 1004));
    }

    [Fact]
    public async Task A_failing_store_makes_reads_misses_and_writes_skipped_but_invalidations_throw()
    {
        var logger = new ListLogger<ApplicationCache>();
        var app = new ApplicationCache(new DownStore(), new TenantCacheOptions { Application = "down" }, logger);
        var tenant = app.Tenant("t");

        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        await tenant.SetAsync("k", "v");
        Assert.Equal("computed", await tenant.GetOrCreateAsync("k", _ => ValueTask.FromResult("computed")));
        var error = await Assert.ThrowsAsync<CacheInvalidationException>(async () => await tenant.InvalidateAsync());
        Assert.IsType<CacheStoreException>(error.InnerException);
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await app.InvalidateTagAsync("x"));
        await Assert.ThrowsAsync<CacheInvalidationException>(async () => await tenant.RemoveAsync("k"));

        Assert.Contains(logger.Entries, e => e.Id.Id == 1001);
        Assert.Contains(logger.Entries, e => e.Id.Id == 1002);
        Assert.Contains(logger.Entries, e => e.Id.Id == 1006 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task ThrowOnStoreErrors_surfaces_store_failures_from_reads_and_writes()
    {
        var app = new ApplicationCache(new DownStore(), new TenantCacheOptions { Application = "down", ThrowOnStoreErrors = true });
        await Assert.ThrowsAsync<CacheStoreException>(async () => await app.Tenant("t").GetAsync<string>("k"));
        await Assert.ThrowsAsync<CacheStoreException>(async () => await app.Tenant("t").SetAsync("k", "v"));
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed_as_a_store_failure()
    {
        var app = new ApplicationCache(new MemoryCacheStore(), new TenantCacheOptions { Application = "c" });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await app.Tenant("t").GetAsync<string>("k", cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await app.Tenant("t").InvalidateAsync(cts.Token));
    }
}
