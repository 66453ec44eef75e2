using BenchmarkDotNet.Attributes;
using TenantCache.Internal;
using TenantCache.Stores;

namespace TenantCache.Benchmarks;

/// <summary>
/// The engine's read path over the in-process store, against the store's own batched get of the same
/// keys (the floor: what any cache over this store must pay).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EngineReadBenchmarks
{
    private readonly MemoryCacheStore _store = new();
    private ICacheScope _tenant = null!;
    private ICacheScope _reusing = null!;
    private string[] _keys = null!;
    private string[] _dataKey = null!;
    private readonly StoreItem[] _items = new StoreItem[3];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var app = new ApplicationCache(_store, new TenantCacheOptions { Application = "bench" });
        _tenant = app.Tenant("lisboa");
        await _tenant.SetAsync("/info", "2 days", TimeSpan.FromHours(1));
        await _tenant.SetAsync("/bytes", new byte[64], TimeSpan.FromHours(1));
        var path = ScopePath.ForApplication("bench").Child("lisboa");
        _keys = [path.VersionKeys[0], path.VersionKeys[1], KeyEncoder.Bound(path.CanonicalDataKey("/info"))];
        _dataKey = [_keys[2]];

        // The same reads with the tokens reused (a window longer than any run): one key per hit.
        var reusing = new ApplicationCache(_store, new TenantCacheOptions { Application = "bench-reuse", TokenReuseWindow = TimeSpan.FromSeconds(1) });
        _reusing = reusing.Tenant("lisboa");
        await _reusing.SetAsync("/info", "2 days", TimeSpan.FromHours(1));
    }

    [Benchmark(Description = "store GetMany (1 key)")]
    public ValueTask StoreGetOne() => _store.GetManyAsync(_dataKey, _items);

    [Benchmark(Description = "engine Get<string> hit, tokens reused")]
    public ValueTask<CacheResult<string>> GetStringHitReused() => _reusing.GetAsync<string>("/info");

    [Benchmark(Description = "engine Get<string> hit")]
    public ValueTask<CacheResult<string>> GetStringHit() => _tenant.GetAsync<string>("/info");

    [Benchmark(Description = "engine Get<ReadOnlyMemory<byte>> hit")]
    public ValueTask<CacheResult<ReadOnlyMemory<byte>>> GetBytesHit() => _tenant.GetAsync<ReadOnlyMemory<byte>>("/bytes");

    [Benchmark(Description = "engine Get miss")]
    public ValueTask<CacheResult<string>> GetMiss() => _tenant.GetAsync<string>("/absent");
}
