using BenchmarkDotNet.Attributes;
using TenantCache.Harness;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks;

/// <summary>
/// One read hit through the engine (application + tenant scopes: three keys in one pipelined batch)
/// against one raw <c>mg</c> of the data key through the same client, on a local memcached this
/// benchmark starts (or the one in TENANTCACHE_BENCH_SERVERS). The Ratio column is the figure the
/// memcached issue asks for; read the Median column for both.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MemcachedReadBenchmarks
{
    private MemcachedProcess? _server;
    private MemcachedCacheStore _store = null!;
    private ICacheScope _tenant = null!;
    private readonly string[] _three = ["raw:a", "raw:b", "raw:/info"];
    private readonly MemcachedItem[] _items = new MemcachedItem[3];
    private readonly TenantCache.Stores.StoreItem[] _storeItems = new TenantCache.Stores.StoreItem[3];
    private string[] _engineKeys = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var servers = Environment.GetEnvironmentVariable("TENANTCACHE_BENCH_SERVERS");
        if (string.IsNullOrEmpty(servers))
        {
            _server = await MemcachedProcess.StartAsync("-m", "256");
            servers = _server.Endpoint;
        }

        _store = new MemcachedCacheStore(new MemcachedOptions { Servers = servers, ConnectionsPerServer = 1 });
        var app = new ApplicationCache(_store, new TenantCacheOptions { Application = "bench" });
        _tenant = app.Tenant("lisboa");
        await _tenant.SetAsync("/info", "2 days", TimeSpan.FromHours(1));
        var path = TenantCache.Internal.ScopePath.ForApplication("bench").Child("lisboa");
        _engineKeys = [path.VersionKeys[0], path.VersionKeys[1], TenantCache.Internal.KeyEncoder.Bound(path.CanonicalDataKey("/info"))];
        await _store.Client.SetAsync("raw:/info", "2 days"u8.ToArray(), TimeSpan.FromHours(1));
        await _store.Client.SetAsync("raw:a", new byte[8], TimeSpan.FromHours(1));
        await _store.Client.SetAsync("raw:b", new byte[8], TimeSpan.FromHours(1));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "raw mg (1 key)")]
    public async Task<int> RawGet() => (await _store.Client.GetAsync("raw:/info")).Value.Length;

    [Benchmark(Description = "raw multi-get (3 keys, 1 batch)")]
    public async Task<int> RawGetThree()
    {
        await _store.Client.GetManyAsync(_three, _items);
        return _items[2].Value.Length;
    }

    [Benchmark(Description = "store GetMany (the engine's 3 keys)")]
    public async Task<bool> StoreGetThree()
    {
        await _store.GetManyAsync(_engineKeys, _storeItems);
        return _storeItems[2].Found;
    }

    [Benchmark(Description = "engine Get hit (app+tenant versions + data, 1 batch)")]
    public async Task<bool> EngineGetHit() => (await _tenant.GetAsync<string>("/info")).HasValue;
}
