using TenantCache.Memcached;
using TenantCache.Stores;
using TenantCache.Tests.Memcached.Infrastructure;
using TenantCache.Tests.Support;

namespace TenantCache.Tests.Engine;

/// <summary>
/// The in-process copy of values (<see cref="LocalCopyOptions"/>), on the in-process store (which can
/// count the value bytes it hands out) and on a real memcached. Two <see cref="ApplicationCache"/>
/// instances over one store are two processes.
/// </summary>
public sealed class LocalCopyTests(MemcachedServerFixture fixture) : IClassFixture<MemcachedServerFixture>
{
    private static readonly byte[] Page = Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray();

    private static ApplicationCache Process(ICacheStore store, string application, bool enabled = true, long maxBytes = LocalCopyOptions.DefaultMaxBytes) =>
        new(store, new TenantCacheOptions
        {
            Application = application,
            TokenReuseWindow = TimeSpan.FromSeconds(1),
            LocalCopy = new LocalCopyOptions { Enabled = enabled, MaxBytes = maxBytes },
        });

    private static string NewApplication() => "copy-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_unchanged_entry_is_served_from_the_copy_without_its_bytes()
    {
        var store = new ByteCountingStore(new MemoryCacheStore());
        var app = NewApplication();
        using var counters = new CacheCounters(app);
        var tenant = Process(store, app).Tenant("t");
        await tenant.SetAsync("page", Page);
        Assert.Equal(Page, (await tenant.GetAsync<byte[]>("page")).Value); // first read: the copy is made

        var bytes = store.ValueBytesRead;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Page, (await tenant.GetAsync<byte[]>("page")).Value);
        }

        Assert.Equal(0, store.ValueBytesRead - bytes);
        Assert.Equal(5, counters["tenantcache.local_copy.hits"]);
    }

    [Fact]
    public async Task Another_process_overwriting_the_entry_is_seen_by_the_next_read()
    {
        var store = new ByteCountingStore(new MemoryCacheStore());
        var app = NewApplication();
        var a = Process(store, app).Tenant("t");
        var b = Process(store, app).Tenant("t");
        await a.SetAsync("k", "one");
        Assert.Equal("one", (await a.GetAsync<string>("k")).Value);
        Assert.Equal("one", (await a.GetAsync<string>("k")).Value);

        await b.SetAsync("k", "two");
        Assert.Equal("two", (await a.GetAsync<string>("k")).Value);
        await b.RemoveAsync("k");
        Assert.False((await a.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task An_invalidation_makes_a_copied_entry_a_miss()
    {
        var store = new MemcachedCacheStore(new MemcachedOptions { Servers = fixture.Server.Endpoint });
        var app = NewApplication();
        using var counters = new CacheCounters(app);
        var a = Process(store, app).Tenant("t");
        var b = Process(store, app).Tenant("t");
        await a.SetAsync("page", Page);
        Assert.Equal(Page, (await a.GetAsync<byte[]>("page")).Value);
        Assert.Equal(Page, (await a.GetAsync<byte[]>("page")).Value);
        Assert.Equal(1, counters["tenantcache.local_copy.hits"]); // memcached answered with the CAS only

        await b.InvalidateAsync(); // waits out A's window
        Assert.False((await a.GetAsync<byte[]>("page")).HasValue);

        await b.SetAsync("page", new byte[] { 7 });
        Assert.Equal(new byte[] { 7 }, (await a.GetAsync<byte[]>("page")).Value); // rewritten: a new CAS, read afresh
    }

    [Fact]
    public async Task Entries_are_copied_when_marked_per_entry_or_by_the_writing_application()
    {
        var store = new ByteCountingStore(new MemoryCacheStore());
        var app = NewApplication();
        using var counters = new CacheCounters(app);
        var off = Process(store, app, enabled: false).Tenant("t");
        var on = Process(store, app, enabled: true).Tenant("t");

        await off.SetAsync("plain", "x");
        await off.SetAsync("marked", "y", new CacheEntryOptions { LocalCopy = true });
        await on.SetAsync("unmarked", "z", new CacheEntryOptions { LocalCopy = false });
        foreach (var key in new[] { "plain", "marked", "unmarked", "plain", "marked", "unmarked" })
        {
            Assert.True((await off.GetAsync<string>(key)).HasValue);
        }

        Assert.Equal(1, counters["tenantcache.local_copy.stored"]); // only "marked", read by a process whose own writes are not
        Assert.Equal(1, counters["tenantcache.local_copy.hits"]);
    }

    [Fact]
    public async Task The_copies_stay_within_their_memory_bound()
    {
        var store = new ByteCountingStore(new MemoryCacheStore());
        var app = NewApplication();
        using var counters = new CacheCounters(app);
        var cache = Process(store, app, maxBytes: 1024 * 1024);
        var tenant = cache.Tenant("t");
        var value = new byte[100 * 1024]; // 10 fit in 1 MiB; a value over 1/8 of it is never copied
        for (var i = 0; i < 30; i++)
        {
            await tenant.SetAsync("k" + i, value);
            Assert.True((await tenant.GetAsync<byte[]>("k" + i)).HasValue);
        }

        var copies = ((Internal.IEngineScope)cache).Engine.Copies!;
        Assert.InRange(copies.Bytes, 1, 1024 * 1024);
        Assert.True(counters["tenantcache.local_copy.evicted"] >= 20);

        await tenant.SetAsync("huge", new byte[200 * 1024]);
        Assert.True((await tenant.GetAsync<byte[]>("huge")).HasValue);
        Assert.True((await tenant.GetAsync<byte[]>("huge")).HasValue);
        Assert.Equal(30, counters["tenantcache.local_copy.stored"]);
    }

    /// <summary>Counts the value bytes the store hands out (unchanged items hand out none).</summary>
    private sealed class ByteCountingStore(MemoryCacheStore inner) : CasDelegatingStore(inner)
    {
        private long _valueBytes;

        public long ValueBytesRead => Interlocked.Read(ref _valueBytes);

        public override async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
        {
            await base.GetManyAsync(keys, results, knownCas, cancellationToken);
            for (var i = 0; i < keys.Length; i++)
            {
                if (IsDataKey(keys.Span[i]))
                {
                    Interlocked.Add(ref _valueBytes, results.Span[i].Value.Length);
                }
            }
        }
    }
}
