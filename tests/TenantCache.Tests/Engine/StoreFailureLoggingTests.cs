using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>An outage writes a bounded number of Warning lines (one per cause and 10 s), and every failure is still counted.</summary>
public sealed class StoreFailureLoggingTests
{
    [Fact]
    public async Task A_thousand_failing_reads_and_writes_write_one_warning_per_cause_and_count_every_failure()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new ListLogger<ApplicationCache>();
        using var counters = new CacheCounters("outage");
        var tenant = new ApplicationCache(new DownStore(), new TenantCacheOptions { Application = "outage" }, log, time).Tenant("secret-tenant");

        for (var i = 0; i < 1000; i++)
        {
            Assert.False((await tenant.GetAsync<string>("k" + i)).HasValue);
            await tenant.SetAsync("k" + i, "v");
        }

        // Two causes: the read batch and the token creation of a write, both CacheStoreException.
        var warnings = log.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(1, warnings.Count(w => w.Id.Id == 1001));
        Assert.Equal(1, warnings.Count(w => w.Id.Id == 1002));
        Assert.Equal(999, log.Entries.Count(e => e.Level == LogLevel.Debug && e.Id.Id == 1009));
        Assert.Equal(999, log.Entries.Count(e => e.Level == LogLevel.Debug && e.Id.Id == 1010));
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Information && e.Message.Contains("secret-tenant", StringComparison.Ordinal));
        Assert.Equal(2000, counters["tenantcache.store.errors"]);
        Assert.Equal(1000, counters["tenantcache.misses"]);
        Assert.Equal(1000, counters["tenantcache.writes.skipped"]);

        // Within the interval: still Debug. After it: one Warning that reports what was held back.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        Assert.Equal(2, log.Entries.Count(e => e.Level >= LogLevel.Warning));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False((await tenant.GetAsync<string>("k")).HasValue);
        var next = Assert.Single(log.Entries.Where(e => e.Level >= LogLevel.Warning).Skip(2));
        Assert.Equal(1001, next.Id.Id);
        Assert.Contains("1000 similar failures since 2030-01-01T00:00:00", next.Message, StringComparison.Ordinal);
        Assert.Equal(2002, counters["tenantcache.store.errors"]);
    }
}
